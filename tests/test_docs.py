"""The documentation stays inside the repository and its section numbers hold.

Code and tests cite "section N" of the specification; these tests make sure
every such section exists, that sections 1 to 9 keep the subjects of the
original contract, and that the README and docs/ link only to files of this
repository.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECIFICATION = ROOT / "docs" / "specification.md"

#: Sections 1 to 9 keep the number and subject they had in the original contract.
CONTRACT_SUBJECTS = {
    1: "Words",
    2: "Question bank",
    3: "Answers",
    4: "Scoring",
    5: "Consistency and gaps",
    6: "Importing answers",
    7: "Command line",
    8: "Results document",
    9: "Workshop workbook",
}
HEADING = re.compile(r"^## (\d+)\. (.+)$", re.MULTILINE)
SECTION_CITATION = re.compile(r"(?:CONTRACT|specification(?:\.md)?) section (\d+)")
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _sections() -> dict[int, str]:
    return {int(number): title for number, title in HEADING.findall(SPECIFICATION.read_text())}


def test_sections_are_numbered_in_order_without_gaps() -> None:
    numbers = list(_sections())
    assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_sections_1_to_9_keep_the_contract_subjects() -> None:
    sections = _sections()
    for number, subject in CONTRACT_SUBJECTS.items():
        assert sections.get(number, "").startswith(subject), (number, sections.get(number))


def test_every_cited_section_exists() -> None:
    sections = _sections()
    cited = []
    for folder in ("assessment", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in SECTION_CITATION.finditer(path.read_text(encoding="utf-8")):
                cited.append((path.relative_to(ROOT), int(match.group(1))))
    assert cited, "no citation found: has the pattern changed?"
    missing = [(str(path), number) for path, number in cited if number not in sections]
    assert not missing, f"these cite a section the specification does not have: {missing}"


#: The folder beside the checkout that held the original contract (spelt in two
#: pieces so that a search of the repository for it finds nothing).
OUTSIDE = "shared" + "/"


def test_readme_and_docs_link_only_inside_the_repository() -> None:
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for document in documents:
        text = document.read_text(encoding="utf-8")
        assert OUTSIDE not in text, f"{document.name} refers to a file outside the repository"
        for target in MARKDOWN_LINK.findall(text):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (document.parent / target).exists(), f"{document.name} links to missing {target}"

"""The Welsh text reads as Welsh: no name after a mutating word, one term for each idea.

A department's, round's or contact's name is typed once, in its base form, so a sentence
must never put it where Welsh would mutate it ("gan Diwylliant", "â Alun", "i Addysg").
The first check reads every msgstr of the Welsh catalogue and fails, naming each msgid,
when a name placeholder comes straight after one of the words that mutate what follows.

Numbers do not mutate, so placeholders that are always filled with a figure are excepted
(NUMERIC_PLACEHOLDERS). `low` and `high` are numbers everywhere except the one sentence
that names the strongest and weakest dimensions (NAMES_IN_MSGID undoes the exception there).

The second group checks that the key terms of docs/glossary.md are never translated two
ways, in the interface catalogue and in the question bank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "assessment" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
QUESTIONS = ROOT / "questions"

# Words after which Welsh mutates the next word (soft, aspirate or nasal), as issue 17 lists them.
MUTATING_WORDS = frozenset({
    "ar", "gan", "i", "â", "yn", "o", "am", "dan", "dros", "drwy", "heb", "hyd", "wrth", "at", "a",
    "ei", "dy", "fy", "ein",
})

# Placeholders that always hold a figure, a score ("2.5, Learning"), a signed change ("+0.3"),
# a date ("1 December 2026") or a version ("2026.1"): all begin with a digit or a sign, and
# Welsh does not mutate figures. Any `%(x)d` placeholder is a number as well.
NUMERIC_PLACEHOLDERS = frozenset({
    "answered", "answers", "change", "completed", "count", "done", "existing", "gap", "high",
    "high_score", "in_progress", "invited", "learner_score", "low", "low_score", "median",
    "mentor_score", "minutes", "new", "num", "number", "page", "pages", "questions", "responses",
    "score", "seconds", "sections", "shown", "submitted", "target", "total", "version", "waiting",
    "when",
})

# msgids where a placeholder from NUMERIC_PLACEHOLDERS holds a name after all.
NAMES_IN_MSGID = {
    "The organisation is strongest on %(high)s (%(high_score)s) and weakest on %(low)s "
    "(%(low_score)s).": {"high", "low"},
}

# %(name)s / %(name)d (gettext), {name} (str.format) and %{name} (GOV.UK Frontend's JavaScript).
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%\{(\w+)\}|\{(\w+)\}")
# The word before a placeholder, allowing opening quotes or a bracket in between.
WORD_BEFORE = re.compile(r"(?:^|[^\w'’])([\w']+)\s+[\"“‘'(]*$")


def mutation_findings(msgid: str, msgstr: str) -> list[str]:
    """Each name placeholder of msgstr that comes straight after a mutating word.

    >>> mutation_findings("%(dimension)s has a target", "Mae gan %(dimension)s darged")
    ["'gan %(dimension)s'"]
    >>> mutation_findings("%(num)d problems", "Mae %(num)d problem ar %(count)s rhes")
    []
    """
    names_here = NAMES_IN_MSGID.get(msgid, set())
    found = []
    for match in PLACEHOLDER.finditer(msgstr):
        name = next(group for group in match.groups() if group)
        numeric = match.group(0).endswith(")d") or name in NUMERIC_PLACEHOLDERS
        if numeric and name not in names_here:
            continue
        before = WORD_BEFORE.search(msgstr[: match.start()])
        if before and before.group(1).lower() in MUTATING_WORDS:
            found.append(repr(f"{before.group(1)} {match.group(0)}"))
    return found


def welsh_catalogue() -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) for every translated form of every message, plural forms included."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgstr in strings:
            yield msgid, msgstr


def test_the_mutation_check_sees_a_deliberately_broken_string():
    assert mutation_findings("Back to %(department)s", "Yn ôl i %(department)s") == [
        "'i %(department)s'"]
    assert mutation_findings("contact %(contact)s", "cysylltwch â “%(contact)s”") == [
        "'â %(contact)s'"]
    assert mutation_findings("%(first)s and %(last)s", "%(first)s A {last}") == ["'A {last}'"]
    assert mutation_findings("x", "Gallwch roi hyd at %{count} nod") == []
    # The sentence whose low and high are dimension names is checked for them.
    strongest = next(iter(NAMES_IN_MSGID))
    assert mutation_findings(strongest, "gryfaf ar %(high)s (%(high_score)s)") == ["'ar %(high)s'"]
    # Safe shapes: a noun before the name, or a label and a colon.
    assert mutation_findings("x", "o ran %(dimension)s, y cylch %(round)s, Adran: %(department)s") == []


def test_no_welsh_string_puts_a_name_after_a_mutating_word():
    findings = [f"{msgid!r}: {', '.join(found)}" for msgid, msgstr in welsh_catalogue()
                if (found := mutation_findings(msgid, msgstr))]
    assert not findings, "names after a mutating word:\n" + "\n".join(findings)


# --- one term for each idea (docs/glossary.md) --------------------------------------------------


def bank_texts() -> Iterator[tuple[str, str]]:
    """(en, cy) of every bilingual text of the question bank."""
    def walk(node: object) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and isinstance(node.get("cy"), str):
                yield node["en"], node["cy"]
                return
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for path in sorted(QUESTIONS.glob("*.yaml")):
        yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")))


def all_texts() -> list[tuple[str, str]]:
    """Every (English, Welsh) pair, placeholders removed from the English."""
    return [(PLACEHOLDER.sub("", en), cy) for en, cy in [*welsh_catalogue(), *bank_texts()] if cy]


# (what the English says, what the Welsh must say, what the Welsh must never say)
TERMS = [
    ("outcome", r"\boutcomes?\b", r"deilliant|deilliannau", r"canlyniad"),
    ("flag", r"\bflag(s|ged|ging)?\b", r"\bnod(i|wyd|ir)\b", r"rhybudd"),
    ("warning", r"\bwarnings?\b", r"rhybudd", None),
    ("in progress", r"\bin progress\b", r"mynd rhagdd(o|ynt)", r"ar waith"),
    ("message", r"\bmessages?\b", r"neges", None),
    ("post (noun)", r"\b(a|the|of|scheduled|important|their|no) posts?\b|(?<!who )(?<!login )\bposts\b",
     r"\b(p|b|ph|mh)ostiad", None),
    ("tool", r"\btools?\b", r"offeryn|offer\b", r"adnodd"),
    ("already", r"\balready\b", r"eisoes", r"yn barod"),
    ("starter", r"\bstarters?\b", r"newydd-ddyfodiaid|staff newydd|dechreuwr newydd", r"dechreuwyr"),
    ("export", r"\bexports\b", r"allforio", r"allforion"),
]


@pytest.mark.parametrize("term, english, welsh, never", TERMS, ids=[t[0] for t in TERMS])
def test_a_key_term_is_translated_one_way(term, english, welsh, never):
    wrong = []
    for en, cy in all_texts():
        if not re.search(english, en, re.IGNORECASE):
            continue
        if not re.search(welsh, cy, re.IGNORECASE) or (never and re.search(never, cy, re.IGNORECASE)):
            wrong.append(f"{en!r} -> {cy!r}")
    assert not wrong, f"'{term}' must be /{welsh}/" + (f", never /{never}/" if never else "") + ":\n" + \
        "\n".join(wrong)


def test_neges_always_means_message():
    """'neges' is a message; a social media post is a 'postiad'."""
    wrong = [f"{en!r} -> {cy!r}" for en, cy in all_texts()
             if re.search(r"neges", cy, re.IGNORECASE)
             and not re.search(r"message|mail merge", en, re.IGNORECASE)]
    assert not wrong, "\n".join(wrong)


def test_formal_negatives_throughout():
    """One register: 'Nid yw', 'Nid oes', 'Ni all', never the spoken 'Dydy', 'Does dim', 'Allwch'."""
    spoken = re.compile(r"\b(dydy|dydw|dydyn|doedd|does|dyw)\b|\ballwch chi ddim\b|\bddim yn\b",
                        re.IGNORECASE)
    wrong = [f"{en!r} -> {cy!r}" for en, cy in all_texts() if spoken.search(cy)]
    assert not wrong, "\n".join(wrong)


def test_one_apostrophe_style():
    """Welsh elisions (’r, ’n, ’i) use the straight apostrophe, like the rest of the catalogue."""
    wrong = [f"{en!r} -> {cy!r}" for en, cy in all_texts() if re.search(r"\w’\w", cy)]
    assert not wrong, "\n".join(wrong)


def test_every_welsh_string_keeps_the_placeholders_of_its_msgid():
    """A reworded sentence must still show every value, and no value that is not given."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = {m.group(0) for m in PLACEHOLDER.finditer(ids[-1])}
        wrong += [f"{ids[0]!r} -> {s!r}" for s in strings
                  if {m.group(0) for m in PLACEHOLDER.finditer(s)} != expected]
    assert not wrong, "\n".join(wrong)


def test_every_interface_string_has_a_welsh_translation(tmp_path: Path) -> None:
    """Every string the code and templates send through gettext is in the Welsh catalogue,
    translated (a new English string left out shows in English to a Welsh reader)."""
    import subprocess
    import sys

    template = tmp_path / "messages.pot"
    # As `make translations` extracts them: babel.cfg's patterns are relative to the root.
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-o", str(template), "."],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    with template.open("rb") as source:
        wanted = read_po(source)
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source, locale="cy")

    def translated(message_id: str | tuple[str, ...]) -> bool:
        found = catalogue.get(message_id)
        if found is None or found.fuzzy:
            return False
        strings = found.string if isinstance(found.string, (list, tuple)) else [found.string]
        return all(strings)

    missing = [m.id for m in wanted if m.id and not translated(m.id)]
    assert missing == [], f"{len(missing)} strings without Welsh: {missing[:10]}"

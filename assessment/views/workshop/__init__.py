"""Pages for trainers and leads: the workshop workbook, the answers CSV, the
offline questionnaire, and importing answers collected on paper or in
spreadsheets.  Every page needs the ``results`` power (leads and trainers).

The URL rules are all here, so the blueprint reads as a table of contents.
"""

from __future__ import annotations

from flask import Blueprint

from . import downloads, imports

bp = Blueprint("workshop", __name__)

_ROUND = "/rounds/<int:round_id>"
bp.add_url_rule(f"{_ROUND}/export", view_func=downloads.export)
bp.add_url_rule(f"{_ROUND}/export.xlsx", view_func=downloads.export_xlsx, methods=["GET", "POST"])
bp.add_url_rule(f"{_ROUND}/answers.csv", view_func=downloads.answers_csv)
bp.add_url_rule(f"{_ROUND}/template.xlsx", view_func=downloads.template_xlsx)
bp.add_url_rule(f"{_ROUND}/import", view_func=imports.import_answers, methods=["GET", "POST"])
bp.add_url_rule(f"{_ROUND}/import/check", view_func=imports.check_import, methods=["GET", "POST"])
bp.add_url_rule(f"{_ROUND}/import/cancel", view_func=imports.cancel_import, methods=["POST"])

# The import page alone takes request bodies as big as an import file; a body
# over that gets the import page with the limit, not a bare error page.
bp.url_value_preprocessor(
    lambda endpoint, _values: imports.allow_import_files()
    if endpoint == "workshop.import_answers" else None)
bp.register_error_handler(413, imports.too_large)

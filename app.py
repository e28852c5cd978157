"""Entry point for ``flask --app app`` and gunicorn (``app:app``)."""

import sys

from assessment import create_app
from assessment.question_bank import QuestionBankInvalid
from assessment.security import InsecureConfiguration

try:
    app = create_app()
except QuestionBankInvalid as error:
    # Refuse to start, saying why, rather than serving a broken questionnaire.
    sys.exit(f"Joined-Up cannot start: the question bank has problems.\n{error}")
except InsecureConfiguration as error:
    sys.exit(f"Joined-Up cannot start: {error}")

"""Entry point for ``flask --app app`` and gunicorn (``app:app``).

The instance folder (``config.py``, the development secret key, the SQLite
database and job queue) is ``instance/`` unless ``JOINED_UP_INSTANCE_PATH``
names another (``create_app`` reads it; the tests give each run its own).
"""

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

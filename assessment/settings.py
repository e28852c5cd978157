"""Secret-free defaults.  ``instance/config.py`` or the environment override them."""

from datetime import timedelta

#: SQLite file in the instance folder unless DATABASE_URL is set.
SQLITE_FILENAME = "joined-up.sqlite"

BASE_URL = "http://127.0.0.1:5000"
QUESTIONS_PATH = None  # None: the repository's questions/ folder

# Sessions: hours, not the 31-day default; cookies not readable from JavaScript.
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False  # switched on in production by create_app

# Flask-WTF: a questionnaire may stay open for a long time; the CSRF error
# handler re-shows the form with what was typed, so an expiry loses nothing.
WTF_CSRF_TIME_LIMIT = 8 * 3600

# Uploads (imports) up to 16 MB; every other body is far smaller.
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

BABEL_DEFAULT_LOCALE = "en"
LANGUAGES = ("en", "cy")

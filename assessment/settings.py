"""Secret-free defaults.  ``instance/config.py`` or the environment override them."""

from datetime import timedelta

#: SQLite file in the instance folder unless DATABASE_URL is set.
SQLITE_FILENAME = "joined-up.sqlite"

# Where invitation links start, like "https://joined-up.example.org".  Unset: the
# address each request came in on (so `make run PORT=5077` works); production
# requires it, and command-line `invite` needs it or --base-url.
BASE_URL = None
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

# Attempts allowed per window, shared by every worker (assessment.ratelimit).
# RATELIMIT_STORAGE_URI or REDIS_URL (redis://...) keeps the counts in Redis
# instead of the database.  Sign-in limits count failures only; past the
# per-account ceiling the account is slowed (not locked) for new browsers.
RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS = "10 per 15 minutes"
RATELIMIT_SIGN_IN_PER_ADDRESS = "50 per 15 minutes"
RATELIMIT_SIGN_IN_PER_ACCOUNT = "100 per hour"
RATELIMIT_SIGN_IN_SLOWED = "1 per minute"
RATELIMIT_INVITATION_PER_ADDRESS = "60 per 15 minutes"
RATELIMIT_STORAGE_URI = None
RATELIMIT_KEY_PREFIX = "joined-up"  # keeps installations sharing one Redis apart

# Number of reverse proxies in front of the app whose X-Forwarded-For to trust
# (0: none), so rate limits and the audit log see visitors' real addresses.
PROXY_FIX_X_FOR = 0

# Background jobs (assessment.jobs).  Workbook exports and imports of at least
# this many answers run in the job queue with a progress page; smaller ones
# answer at once.  (A 250,000-answer workbook takes about 30 s to write.)
BACKGROUND_EXPORT_MIN_ANSWERS = 20_000
BACKGROUND_IMPORT_MIN_ANSWERS = 20_000
# How long a finished job's page and file stay available to the person who asked.
BACKGROUND_JOB_KEEP = timedelta(hours=24)
# The queue: Redis when REDIS_URL is set (several hosts), else this SQLite file
# (None: instance/jobs.sqlite).  JOBS_IMMEDIATE runs jobs inside the request
# (None: only when TESTING).
JOBS_SQLITE_PATH = None
JOBS_IMMEDIATE = None
JOBS_QUEUE_NAME = "joined-up"  # keeps installations sharing one Redis apart

BABEL_DEFAULT_LOCALE = "en"
LANGUAGES = ("en", "cy")

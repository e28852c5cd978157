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

# Request bodies up to 16 MB; most are far smaller.  The import page
# alone allows IMPORT_MAX_FILE_BYTES (and 1 MB for the rest of its form).
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

# Import files (assessment.import_format.limits), checked before a file is
# parsed so no upload can stall a worker.  A 400,000-row CSV is about 20 MB.
IMPORT_MAX_FILE_BYTES = 20 * 1024 * 1024
IMPORT_MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024  # an XLSX's parts, expanded
IMPORT_MAX_COMPRESSION_RATIO = 200  # spreadsheets compress 5-50 times; zip bombs 1,000+
IMPORT_MAX_ZIP_PARTS = 1000
IMPORT_MAX_ROWS = 400_000
IMPORT_MAX_COLUMNS = 50
IMPORT_MAX_FIELD_CHARACTERS = 10_000
# Files with more text than this (a CSV's bytes, an XLSX's expanded parts) are
# checked by the job queue with a progress page; smaller ones inside the request.
IMPORT_CHECK_INLINE_MAX_BYTES = 1024 * 1024
# How long an uploaded file waits (in the database) for its import to be confirmed.
IMPORT_STAGED_LIFETIME = timedelta(hours=2)

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
# Peer benchmarks (docs/benchmarks.md): a group's figures are shown only when at least
# this many organisations have contributed rounds on the same question-bank version.
BENCHMARK_MINIMUM_ORGANISATIONS = 5
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

# Invitations and reminders sent by email (assessment.mail; docs/mail.md says how to set
# them up).  MAIL_SENDER: None sends nothing (leads download the links as a CSV, as
# before), "smtp" sends through an SMTP relay, "notify" through GOV.UK Notify.
# The password and the API key belong in instance/config.py or the environment
# (MAIL_SMTP_PASSWORD, MAIL_NOTIFY_API_KEY), never in this file.
MAIL_SENDER = None
MAIL_FROM = None  # SMTP's From, e.g. "Joined-Up <noreply@council.example>" (Notify sets its own)
MAIL_REPLY_TO = None  # SMTP's Reply-To, e.g. the round's contact mailbox
# SMTP: MAIL_SMTP_SECURITY "starttls" (usually port 587), "tls" (implicit TLS, usually
# port 465), or "none" (plain text: only for a relay on the same machine).
MAIL_SMTP_HOST = None
MAIL_SMTP_PORT = 587
MAIL_SMTP_SECURITY = "starttls"
MAIL_SMTP_USER = None
MAIL_SMTP_PASSWORD = None
# A CA bundle (a file path) for a relay whose certificate a private authority signed;
# None trusts the system's authorities.  Certificates are always checked.
MAIL_SMTP_CA_FILE = None
MAIL_SMTP_TIMEOUT = 30  # seconds to connect and for each reply: a stuck relay is a temporary failure
# GOV.UK Notify: an API key (a "live" key sends to anyone, a "team" key only to the
# team), and one email template per kind of message.  MAIL_NOTIFY_BASE_URL None is
# Notify's own API; tests point it at a stand-in on 127.0.0.1.
MAIL_NOTIFY_API_KEY = None
MAIL_NOTIFY_INVITATION_TEMPLATE_ID = None
MAIL_NOTIFY_REMINDER_TEMPLATE_ID = None
MAIL_NOTIFY_BASE_URL = None
MAIL_NOTIFY_TIMEOUT = 30
# At most this many messages a second (0: no limit), so a relay's or Notify's own
# rate limit (3,000 a minute) is not hit; 2,000 invitations take about 7 minutes.
MAIL_PER_SECOND = 5
# A message that fails for a temporary reason (timeout, 4xx reply, Notify's 429 or
# 5xx) is tried again after MAIL_RETRY_DELAY seconds, then twice that, and so on,
# MAIL_MAX_ATTEMPTS times in all; then it is "failed" with the reason.
MAIL_MAX_ATTEMPTS = 4
MAIL_RETRY_DELAY = 30
# Bilingual messages put Welsh first (the Welsh Language Standards' usual order);
# False puts English first.
MAIL_WELSH_FIRST = True
# The key that derives each emailed link's token from a random value stored per
# respondent, so a reminder carries the same link (assessment.mail.links).  None:
# derived from SECRET_KEY.  Changing it (or SECRET_KEY when this is None) leaves
# links working but stops reminders reusing them until the links are replaced.
LINK_KEY = None

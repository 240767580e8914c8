"""Newsroom settings, read from the environment.

Defaults suit a laptop with a local PostgreSQL. Production sets DEBUG=false and must then
provide SECRET_KEY and ALLOWED_HOSTS; the process refuses to start otherwise.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from newsroom.env import DEFAULT_DATABASE_URL, Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

# --- Running mode, secret and hosts: production (DEBUG off) must name its secret and hosts.

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used on a developer's laptop: DEBUG off refuses to start without a real key.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, for canonical links, feeds and sitemaps: never taken
# from a request's Host header. In production it defaults to https:// and the first host.
SITE_URL = env.str("SITE_URL", default="").strip().rstrip("/")
if not SITE_URL:
    first_host = next((host for host in ALLOWED_HOSTS if not host.startswith((".", "*"))), "")
    if DEBUG:
        SITE_URL = "http://127.0.0.1:8000"
    elif first_host:
        SITE_URL = f"https://{first_host}"
    else:
        raise ImproperlyConfigured("SITE_URL must be set when ALLOWED_HOSTS has only wildcards.")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")

# --- Apps, middleware and templates.

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "django_tasks_db",
    "axes",
    "articles",
    "comments",
    # The read API (django-ninja); "ninja" serves Swagger UI from our own static files.
    "ninja",
    "api",
    # `manage.py seed_demo`: the demo newsroom, comments and all.
    "demo",
]

MIDDLEWARE = [
    # First, so every response carries it: static files and redirects included.
    "newsroom.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, auth, messages and CSP: a cache hit needs none of them.
    "articles.middleware.PageCacheMiddleware",
    # Inside the page cache (a hit purges nothing), around every view that may purge.
    "articles.middleware.PurgeBatchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.AdminScriptNonceMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "articles.context_processors.navigation",
            ],
        },
    },
]

# --- Database: the one PostgreSQL database all apps share.

# Persistent connections are checked at the start of each request, so a PostgreSQL restart
# costs readers nothing: a dead connection is replaced instead of failing the page.
DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", default=DEFAULT_DATABASE_URL),
        "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: rate limits and anonymous pages, kept apart so they never evict each other.

# "default" holds small, precious things (comment rate-limit counters); pages, which churn,
# live in a store of their own. Redis when CACHE_URL names it (the production choice);
# otherwise UNLOGGED tables in the shared PostgreSQL database (db://table), so several
# gunicorn workers agree without another service.
# REDIS_URL (the many-servers setting, see "Running on many machines") stands for CACHE_URL.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {"default": env.newsroom_cache("CACHE_URL", default=REDIS_URL or "db://newsroom_cache")}
if CACHES["default"]["BACKEND"] == Env.CACHE_SCHEMES["db"]:
    # Found by key and purged by tag in one table (articles/pagestore.py).
    PAGE_CACHE_STORE = "articles.pagestore.DatabasePageStore"
else:
    PAGE_CACHE_STORE = "articles.pagestore.CachePageStore"
    CACHES["pages"] = {
        **env.newsroom_cache(
            "PAGE_CACHE_URL", default=env.str("CACHE_URL", default="") or REDIS_URL
        ),
        "KEY_PREFIX": "pages",
    }
    if CACHES["pages"]["BACKEND"] == Env.CACHE_SCHEMES["locmem"]:
        CACHES["pages"].update(LOCATION="pages", OPTIONS={"MAX_ENTRIES": 10_000})
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
PAGE_CACHE_MAX_ENTRIES = env.int("PAGE_CACHE_MAX_ENTRIES", default=200_000)
# How long a shared cache in front (CDN, Varnish) may serve a page while it refetches.
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=30)
# Parts of pages kept between renders (articles/fragments.py): purged exactly when what
# they show changes, and kept at most this long for what no purge names (a new story that
# would join an article's "Related" by its headline's words alone). 0 turns them off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=900)
# A new comment refreshes its article at once, and the counts on listings within this.
PAGE_CACHE_LISTING_LAG_SECONDS = env.int("PAGE_CACHE_LISTING_LAG_SECONDS", default=10)
# Told which surrogate keys changed: the app's own store, then the caches in front of it.
PAGE_CACHE_PURGERS = ["articles.purgers.LocalPurger"]
# Varnish servers (deploy/varnish/newsroom.vcl) to send xkey purges to, e.g.
# http://10.0.0.5:6081/ each; they must let this server's address purge (their ACL).
VARNISH_PURGE_URLS = env.list("VARNISH_PURGE_URLS", default=[])
for url in VARNISH_PURGE_URLS:
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"VARNISH_PURGE_URLS must be http(s):// addresses, not {url!r}")
if VARNISH_PURGE_URLS:
    PAGE_CACHE_PURGERS.append("articles.purgers.VarnishPurger")
# Fastly, purged by surrogate key through its API (a token allowed purge_select).
FASTLY_SERVICE_ID = env.str("FASTLY_SERVICE_ID", default="")
FASTLY_API_TOKEN = env.str("FASTLY_API_TOKEN", default="")
FASTLY_API_URL = env.str("FASTLY_API_URL", default="https://api.fastly.com").rstrip("/")
if FASTLY_SERVICE_ID:
    if not FASTLY_API_TOKEN:
        raise ImproperlyConfigured("FASTLY_API_TOKEN must be set with FASTLY_SERVICE_ID.")
    PAGE_CACHE_PURGERS.append("articles.purgers.FastlyPurger")
# An editor's save waits at most this long for each cache to answer a purge.
PAGE_CACHE_PURGE_TIMEOUT_SECONDS = env.float("PAGE_CACHE_PURGE_TIMEOUT_SECONDS", default=2.0)
# The query parameters public pages read (listing and comment-thread pages); any other
# parameter leaves the cached page the same.
# "p" is the sitemaps' page (Django's sitemap framework names it).
PAGE_CACHE_QUERY_PARAMETERS = {"page", "comments_page", "p"}

# --- Accounts and signing in.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks the lockout first, so a locked account or address is refused before
# the slow password hasher runs. AxesBackend is also a ModelBackend, so sessions made by
# `force_login` (or before axes was added) still find their user.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Wrong passwords in a row before signing in is locked, counted per account and, apart,
# per address (a guesser trying many accounts from one address is stopped too).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"
# Every failed attempt is kept (who, from where, when) for the audit trail in the admin.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The same address comments are counted by, behind the same trusted proxies.
AXES_CLIENT_IP_CALLABLE = "newsroom.client.client_ip"
# Readers never see these logs; operators do, and passwords are never written.
AXES_VERBOSE = env.bool("LOGIN_LOCKOUT_VERBOSE", default=False)

# --- Language and time.

# The site's local time, used to show dates to readers; the database stores UTC.
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Karachi")
USE_I18N = True
USE_TZ = True

# --- Article languages. Each article, section and its page is in one of these (codes Django
# knows, the main one first); pages take the language's direction, fonts and translations.
ARTICLE_LANGUAGES = env.list("ARTICLE_LANGUAGES", default=["en", "ur"])
_unknown_languages = [code for code in ARTICLE_LANGUAGES if code not in LANG_INFO]
if not ARTICLE_LANGUAGES or _unknown_languages:
    raise ImproperlyConfigured(
        f"ARTICLE_LANGUAGES must list language codes Django knows (e.g. en,ur), "
        f"not {','.join(_unknown_languages) or 'nothing'}."
    )
LANGUAGE_CODE = ARTICLE_LANGUAGES[0]
LANGUAGES = [(code, LANG_INFO[code]["name"]) for code in ARTICLE_LANGUAGES]
# The interface's translations (make messages) and our date formats per language.
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]

# --- Static files, media and uploads.

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Bootstrap less the rules no page uses, made when static files are collected.
    "newsroom.stylesheets.UsedBootstrapFinder",
]
# Where that finder writes what it makes (collectstatic copies it from there).
STATIC_BUILD_ROOT = BASE_DIR / "build" / "static"
# The public pages carry their stylesheets' rules (about 13 KB compressed) instead of links
# to them: most readers arrive from a shared link on a phone and read one page, which then
# paints without two more round trips. Off: pages link to the stylesheets, and a reader
# browsing many pages downloads them once.
INLINE_STYLESHEETS = env.bool("INLINE_STYLESHEETS", default=True)
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded originals, kept out of MEDIA_ROOT so nothing that serves media can serve them:
# readers only ever get renditions, editors download originals through the admin.
ORIGINALS_ROOT = Path(env.str("ORIGINALS_ROOT", default=str(BASE_DIR / "originals")))
STORAGES = {
    "default": {"BACKEND": "articles.storage.MediaStorage"},
    "originals": {"BACKEND": "articles.storage.OriginalStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve uploaded media from the app itself only on a laptop: in production a front server
# or object storage serves MEDIA_ROOT, and the app's workers stay free for pages.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

# Request size limits, set for what Newsroom's forms really send.
# The largest non-file form is the article editor: a long read as HTML is well under 1 MB,
# so 3 MB saves any real article while a form post cannot make a worker parse more.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
# The busiest forms are the admin's bulk actions (100 rows a page) and the moderation
# queue (50 comments), with inlines a few dozen more: 500 leaves room, not a hash-flood.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Every form takes one photo; a handful is generous and stops a thousand-part upload.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Larger uploads spool to a temporary file while they arrive, so a slow 25 MB photo holds
# disk rather than a worker's memory until the image check reads it.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Background work (image renditions). Production runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Forms.

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"

# --- Security headers. HTTPS-only settings follow DEBUG so `check --deploy` is clean in
# production while a laptop keeps working over plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Browser features no page of Newsroom uses, switched off for every page and any frame, so
# a script that slipped in could not use them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # No nonces: cached pages would carry a stale one, so scripts are files only.
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Logging and the site's name.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

SITE_NAME = env.str("SITE_NAME", default="Newsroom")

# --- What search engines and shared links read (see articles/page_meta.py).
# The front page's description; sections and authors have their own.
SITE_DESCRIPTION = env.str(
    "SITE_DESCRIPTION", default=f"The latest news, analysis and comment from {SITE_NAME}."
)
# The publisher's logo in search results; empty: the square logo shipped as static/logo.png.
SITE_LOGO_URL = env.str("SITE_LOGO_URL", default="")
# A Google News sitemap lists the stories published in this many hours (Google reads 48).
NEWS_SITEMAP_HOURS = 48

# --- Images. Uploads beyond these limits are refused before Pillow decodes them, so a
# decompression bomb or a huge scan cannot exhaust a worker's memory.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=25 * 1024 * 1024)

# --- Articles.
ARTICLES_PER_PAGE = 20
MORE_IN_SECTION_COUNT = 5
FRONT_PAGE_STORIES_PER_SECTION = 4
# Slots editors can pin stories to under the front page's lead.
FRONT_PAGE_TOP_STORIES = 4
# Stories beside the lead: the pinned ones, then the newest others.
FRONT_PAGE_BESIDE_LEAD = 3
# How long a shared preview link works unless the editor chooses otherwise.
PREVIEW_LINK_HOURS = 48

# --- Search and topics. Each story is indexed with its language's text search
# configuration (English stemmed with `english`, Urdu word for word with `simple`; see
# articles/languages.py); this overrides it per language code, e.g. "ur=urdu_custom".
# After changing it, run `manage.py search_reindex`.
SEARCH_CONFIGURATIONS = {
    code.strip(): config.strip()
    for code, config in env.dict("SEARCH_CONFIGURATIONS", default={}).items()
}
# One configuration for every story would index Urdu with English rules again: refuse it.
if env.str("SEARCH_CONFIG", default=""):
    raise ImproperlyConfigured(
        "SEARCH_CONFIG is replaced by SEARCH_CONFIGURATIONS, one per language "
        "(e.g. en=english,ur=simple); then run manage.py search_reindex."
    )
SEARCH_RESULTS_PER_PAGE = 20
# "Related" under each article: shared topics first, then the closest headline words.
RELATED_STORIES_COUNT = 4

# --- Comments. Each can be tuned from the environment; the defaults suit a lively news site.
COMMENTS_MAX_LENGTH = env.int("COMMENTS_MAX_LENGTH", default=5000)
# Top-level comments (each with its replies) per page of the thread.
COMMENTS_PAGE_SIZE = env.int("COMMENTS_PAGE_SIZE", default=50)
# Comments close this many days after publication; 0 keeps them open for good.
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=14)
# A person needs a few seconds to write anything; a script posts at once.
COMMENTS_MIN_SECONDS_TO_POST = env.int("COMMENTS_MIN_SECONDS_TO_POST", default=3)
# A comment form older than this is refused (the reader's text is kept to post again).
COMMENTS_FORM_MAX_AGE_SECONDS = env.int("COMMENTS_FORM_MAX_AGE_SECONDS", default=4 * 3600)
# Per IP (one office or mobile carrier may share an address) and per email, in a window.
# Generous enough that three replies in five minutes in a lively thread always go through.
COMMENTS_RATE_LIMIT_WINDOW_SECONDS = env.int("COMMENTS_RATE_LIMIT_WINDOW_SECONDS", default=300)
COMMENTS_RATE_LIMIT_PER_IP = env.int("COMMENTS_RATE_LIMIT_PER_IP", default=10)
COMMENTS_RATE_LIMIT_PER_EMAIL = env.int("COMMENTS_RATE_LIMIT_PER_EMAIL", default=5)
# More links than this, or any suspect word, holds a comment for review.
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_SUSPECT_WORDS = env.list(
    "COMMENTS_SUSPECT_WORDS",
    default=["viagra", "cialis", "casino", "crypto giveaway", "payday loan", "escort service"],
)
# Hold a commenter's comments (by email) until this many have been approved; 0 = off.
COMMENTS_HOLD_FIRST_N = env.int("COMMENTS_HOLD_FIRST_N", default=0)
# Behind a reverse proxy, the request header carrying the reader's address, e.g.
# HTTP_X_FORWARDED_FOR (its last entry, the one the proxy added, is used). Empty: REMOTE_ADDR.
COMMENTS_CLIENT_IP_HEADER = env.str("COMMENTS_CLIENT_IP_HEADER", default="")
# How many proxies in front of the site append to that header (a CDN before a load
# balancer is 2): the entry that many from the end is the reader's. 0 ignores the header.
COMMENTS_TRUSTED_PROXY_HOPS = env.int("COMMENTS_TRUSTED_PROXY_HOPS", default=1)
# --- Moderation. Open reader reports that take a comment off the page until a moderator decides
# (0 = never); threats of violence need fewer. Comments posted within the recent window
# show in the moderation queue's "Recent" list.
COMMENTS_REPORTS_TO_HIDE = env.int("COMMENTS_REPORTS_TO_HIDE", default=3)
COMMENTS_VIOLENCE_REPORTS_TO_HIDE = env.int("COMMENTS_VIOLENCE_REPORTS_TO_HIDE", default=2)
COMMENTS_QUEUE_RECENT_HOURS = env.int("COMMENTS_QUEUE_RECENT_HOURS", default=24)
# Reports from one network (/24 for IPv4, /64 for IPv6) in a window; later ones are refused
# (0 = no cap). The thresholds above count distinct networks, not reports.
COMMENTS_REPORT_LIMIT_PER_NETWORK = env.int("COMMENTS_REPORT_LIMIT_PER_NETWORK", default=10)
COMMENTS_REPORT_LIMIT_WINDOW_SECONDS = env.int("COMMENTS_REPORT_LIMIT_WINDOW_SECONDS", default=3600)

# --- Read API (/api/v1/). Pages are bounded so no request can ask for the whole archive.
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=20)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
# Deep pages cost an OFFSET scan; past this, clients narrow with published_before.
API_MAX_PAGE = env.int("API_MAX_PAGE", default=500)

# --- Running on many machines (README: "Running on many machines"). Unset, nothing here
# changes how one server runs.

# Uploaded originals and renditions in S3-compatible object storage instead of local disk.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    S3_OPTIONS = {
        "bucket_name": env.str("S3_BUCKET"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        # As on disk, a second upload of the same name gets a new name, never overwrites.
        "file_overwrite": False,
    }
    if S3_OPTIONS["endpoint_url"]:
        # Renditions are linked at the endpoint's own host (endpoint/bucket/media/...), so
        # their origin is known here (below) whatever DNS the service offers.
        S3_OPTIONS["addressing_style"] = "path"
    S3_CUSTOM_DOMAIN = env.str("S3_CUSTOM_DOMAIN", default="")
    STORAGES["default"] = {
        "BACKEND": "articles.storage.S3MediaStorage",
        "OPTIONS": {**S3_OPTIONS, "custom_domain": S3_CUSTOM_DOMAIN or None},
    }
    # Pages show renditions from the bucket's address, not their own: the Content
    # Security Policy lets images come from there and nowhere else new.
    if S3_CUSTOM_DOMAIN:
        media_origins = [f"https://{S3_CUSTOM_DOMAIN}"]
    elif S3_OPTIONS["endpoint_url"]:
        endpoint = urlsplit(S3_OPTIONS["endpoint_url"])
        media_origins = [f"{endpoint.scheme}://{endpoint.netloc}"]
    else:
        bucket, region = S3_OPTIONS["bucket_name"], S3_OPTIONS["region_name"]
        media_origins = [f"https://{bucket}.s3.amazonaws.com"]
        if region:
            media_origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], *media_origins]
    STORAGES["originals"] = {"BACKEND": "articles.storage.S3OriginalStorage", "OPTIONS": S3_OPTIONS}
    # The app cannot serve what is not on its disk.
    SERVE_MEDIA = False
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}")

# A streaming replica for public reads; the primary for writes, staff and anyone who just
# wrote (newsroom/replica.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# How far the replica may lag: a client that posted, and pages rendered after a change,
# read the primary for this long.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
# Public paths that always read the primary: a preview link is opened right after a save.
DATABASE_REPLICA_PRIMARY_PATHS = ("/admin/", "/preview/")
if DATABASE_REPLICA_URL:
    replica = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"] = {
        **replica,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # A replica that does not answer is skipped for the primary: find out quickly.
        "OPTIONS": {"connect_timeout": 2, **replica.get("OPTIONS", {})},
        # Tests run it against the test database: the same rows, another connection.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("articles.middleware.PageCacheMiddleware"),
        "newsroom.replica.ReplicaMiddleware",
    )
    PAGE_CACHE_PURGERS = ["newsroom.replica.ReplicaLagPurger", *PAGE_CACHE_PURGERS]

# Load balancers' health checks first of all (newsroom/health.py), then the request id
# every log line, task and error page of the request carries (newsroom/requestlog.py).
INSTALLED_APPS.append("newsroom.apps.NewsroomConfig")
MIDDLEWARE[:0] = [
    "newsroom.health.HealthCheckMiddleware",
    "newsroom.requestlog.RequestIdMiddleware",
]
# "json": one JSON object per log line, and one line per request (method, path, status,
# duration, request id, staff user id).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOG_REQUESTS = LOG_FORMAT == "json"
LOGGING["filters"] = {"request_id": {"()": "newsroom.requestid.RequestIdFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
if LOG_FORMAT == "json":
    LOGGING["formatters"] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC, whatever TIME_ZONE says: servers' lines sort together.
            "timestamp": "time",
        }
    }
    LOGGING["handlers"]["console"]["formatter"] = "json"

# A task RUNNING this long lost its worker: `manage.py requeue_stale_tasks` queues it again.
# Longer than any task ever takes (a 24 MP photo's renditions: well under a minute).
TASKS_STALE_AFTER_SECONDS = env.int("TASKS_STALE_AFTER_SECONDS", default=900)

# Where `make backup` writes its timestamped folders (keep them on another machine too).
BACKUP_ROOT = Path(env.str("BACKUP_ROOT", default=str(BASE_DIR / "backups")))

# --- "Most read" on the front page (articles/readership.py): reads counted by a beacon into
# each worker's memory, written to the daily counters at most this often, or sooner when
# this many articles wait; the list covers the last MOST_READ_DAYS days (today included).
READS_FLUSH_SECONDS = env.int("READS_FLUSH_SECONDS", default=60)
READS_FLUSH_MAX_ARTICLES = env.int("READS_FLUSH_MAX_ARTICLES", default=500)
# One address counts once per article per day, and for this many articles a day at most.
READS_MAX_ARTICLES_PER_ADDRESS = env.int("READS_MAX_ARTICLES_PER_ADDRESS", default=50)
MOST_READ_DAYS = env.int("MOST_READ_DAYS", default=2)
MOST_READ_COUNT = env.int("MOST_READ_COUNT", default=5)

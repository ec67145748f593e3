"""Reading configuration from the environment.

Every reader raises ``ImproperlyConfigured`` naming the variable when its value is bad,
so a typo fails at start-up instead of silently falling back to a default.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
BROKER_SCHEMES = {"filesystem", "redis", "rediss", "amqp", "amqps", "pyamqp", "memory"}
DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def env_bool(name: str, default: bool, environ=os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of {sorted(TRUE_WORDS | FALSE_WORDS - {''})}"
    )


def env_int(name: str, default: int, environ=os.environ, minimum: int = 0) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_share(name: str, default: float, environ=os.environ) -> float:
    """A fraction above 0 and at most 1 (e.g. 0.25)."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number (e.g. 0.25)") from None
    if not 0 < value <= 1:
        raise ImproperlyConfigured(f"{name}={raw!r} must be above 0 and at most 1")
    return value


def env_list(name: str, default: list[str], environ=os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env(var_dir: Path, environ=os.environ) -> dict:
    """The DATABASES['default'] entry: SQLite in var/ unless DATABASE_URL says otherwise."""
    raw = environ.get("DATABASE_URL", "").strip()
    if not raw:
        raw = f"sqlite:///{var_dir / 'factcheck.sqlite3'}"
    scheme = urlsplit(raw).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL={raw!r}: unsupported scheme {scheme!r}; "
            "use sqlite:///path/to/file.sqlite3 or postgres://user@host:port/name"
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={raw!r} cannot be parsed: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise ImproperlyConfigured(
                f"DATABASE_URL={raw!r}: the SQLite database must be a file so that the web "
                "server and the worker share it"
            )
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the worker write while the web server reads; IMMEDIATE takes the write
            # lock when a transaction starts, so two writers queue on the busy timeout instead
            # of failing half-way with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["TEST"] = {"NAME": str(Path(config["NAME"]).with_name("test_factcheck.sqlite3"))}
    else:
        # Server-side parameters let psycopg prepare a statement the connection has run five
        # times: the claims list's six-table join then skips PostgreSQL's planner (about 2 ms
        # of a 10 ms request). A pooler in transaction mode (PgBouncer) cannot keep prepared
        # statements: DATABASE_PREPARED_STATEMENTS=false there.
        prepared = env_bool("DATABASE_PREPARED_STATEMENTS", True, environ)
        config["OPTIONS"] = {
            "server_side_binding": prepared,
            "prepare_threshold": 5 if prepared else None,  # Django's default is None: never
        }
    return config


def broker_from_env(
    var_dir: Path, environ=os.environ, *, visibility_timeout: int = 3600
) -> tuple[str, dict]:
    """The Celery broker URL and transport options: the filesystem broker in var/ by default.

    On Redis an unacknowledged message (its worker killed, main process and all) goes back
    to the queue only after `visibility_timeout` seconds, an hour by default: the caller
    sets it from the longest a task may take, so a lost job runs again within minutes."""
    raw = environ.get("CELERY_BROKER_URL", "").strip() or "filesystem://"
    scheme = urlsplit(raw).scheme
    if scheme not in BROKER_SCHEMES:
        raise ImproperlyConfigured(
            f"CELERY_BROKER_URL={raw!r}: unsupported scheme {scheme!r}; "
            "use filesystem://, redis://host:6379/0 or amqp://user:password@host:5672//"
        )
    options: dict = {}
    if scheme == "filesystem":
        queue_dir = var_dir / "broker" / "queue"
        processed_dir = var_dir / "broker" / "processed"
        control_dir = var_dir / "broker" / "control"  # kombu's default is the working directory
        options = {
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "processed_folder": str(processed_dir),
            "control_folder": str(control_dir),
            "store_processed": False,
        }
    elif scheme in ("redis", "rediss"):
        # Look for such messages every 10 s (kombu scans only every tenth look by default).
        options = {
            "visibility_timeout": visibility_timeout,
            "unacked_restore_interval": 10,
            "unacked_restore_throttle": 1,
        }
    return raw, options


def broker_folders(options: dict) -> list[Path]:
    """The folders the filesystem broker reads and writes (none for a network broker). The
    Celery app creates them when it starts (factcheck/celery.py): settings create nothing."""
    names = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    return sorted({Path(options[name]) for name in names if name in options})


HTTPS_NEEDS_A_SET_KEY = (
    "SECRET_KEY must be set when SECURE_HTTPS is on: a deployment behind HTTPS does not "
    "generate its key into a file (at least 50 random characters)"
)


def secret_key_from_env(var_dir: Path, environ=os.environ, *, production: bool = False) -> str:
    """SECRET_KEY from the environment, else (on the embedded default, never in production)
    one generated once into var/secret_key."""
    raw = environ.get("SECRET_KEY")
    if raw is not None:
        if len(raw) < 32:
            raise ImproperlyConfigured("SECRET_KEY is set but shorter than 32 characters")
        return raw
    if production:
        raise ImproperlyConfigured(HTTPS_NEEDS_A_SET_KEY)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        # Write aside, then hard-link into place: link() fails if the file exists, so two
        # processes starting together agree on one key and nobody reads a half-written file.
        draft = var_dir / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = key_file.read_text().strip()
    if len(key) < 32:
        raise ImproperlyConfigured(f"SECRET_KEY: the key in {key_file} is too short; delete it")
    return key

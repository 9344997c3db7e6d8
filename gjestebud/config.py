"""Configuration: built-in defaults, overridden by GJESTEBUD_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ENV_PREFIX = "GJESTEBUD_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default=None):
    return os.environ.get(ENV_PREFIX + name, default)


def _int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value not in (None, "") else default


def load_config(instance_path: str) -> dict:
    """Return the app configuration: defaults first, then the environment."""
    db_path = Path(instance_path) / "gjestebud.sqlite"
    secret = _env("SECRET_KEY")
    if not secret:
        # A random key per process is safe but logs everyone out on restart and breaks
        # multi-instance deployments; production sets GJESTEBUD_SECRET_KEY.
        secret = _secret_from_instance(instance_path)
    redis_url = _env("REDIS_URL") or None
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL") or f"sqlite:///{db_path}",
        # hide_parameters: database errors must not put note text or e-mails into the logs.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "PUBLIC_BASE_URL": (_env("PUBLIC_BASE_URL") or "").rstrip("/"),
        "REDIS_URL": redis_url,
        "HUEY_SQLITE_PATH": str(Path(instance_path) / "tasks.sqlite"),
        "HUEY_IMMEDIATE": False,
        # A queued analysis run that no worker took for this long is shown as not started.
        "ANALYSIS_STALE_MINUTES": _int("ANALYSIS_STALE_MINUTES", 15),
        # A running analysis writes a sign of life every 10 s: this long without one, it is
        # shown as stopped and can be started again.
        "ANALYSIS_HEARTBEAT_TIMEOUT_SECONDS": _int("ANALYSIS_HEARTBEAT_TIMEOUT_SECONDS", 120),
        # E-mail: SMTP when a host is set; otherwise .eml files in MAIL_FOLDER (development).
        **_mail_config(instance_path),
        # Privacy: how long personal data is kept (docs/record-of-processing.yaml).
        **_privacy_config(),
        # Sessions: signed cookies, checked against the user's session version on every request.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies need HTTPS; `make run` on plain http://127.0.0.1 turns this off.
        "SESSION_COOKIE_SECURE": _env("SECURE_COOKIES", "1") != "0",
        "SESSION_COOKIE_NAME": "gjestebud_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "STAFF_IDLE_TIMEOUT": timedelta(minutes=_int("STAFF_IDLE_MINUTES", 30)),
        # However active, a staff session ends this long after the login.
        "STAFF_SESSION_LIFETIME": timedelta(hours=_int("STAFF_SESSION_HOURS", 12)),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        # Guests may keep the page open for a whole meal: accept forms for 12 hours.
        "WTF_CSRF_TIME_LIMIT": _int("CSRF_TIME_LIMIT", 12 * 3600),
        # Every POST needs a valid token (gjestebud/security.py); the origin is checked there
        # too, with Sec-Fetch-Site, because our pages send no Referer for Flask-WTF to compare.
        "WTF_CSRF_CHECK_DEFAULT": True,
        "WTF_CSRF_SSL_STRICT": False,
        "NOTE_MAX_LENGTH": _int("NOTE_MAX_LENGTH", 280),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "NOTE_RATE_LIMIT_PER_IP": _env("NOTE_RATE_LIMIT_PER_IP", "30 per minute"),
        "NOTE_RATE_LIMIT_PER_MEAL": _env("NOTE_RATE_LIMIT_PER_MEAL", "200 per minute"),
        # Meals registered from a campaign's open registration link.
        "REGISTRATION_RATE_LIMIT_PER_IP": _env("REGISTRATION_RATE_LIMIT_PER_IP", "10 per hour"),
        "REGISTRATION_RATE_LIMIT_PER_CAMPAIGN": _env(
            "REGISTRATION_RATE_LIMIT_PER_CAMPAIGN", "60 per hour"),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute"),
        # The second login step (authenticator code), per account being logged in.
        "TOTP_RATE_LIMIT": _env("TOTP_RATE_LIMIT", "5 per minute;20 per hour"),
        # Administrators must log in with two factors; only a demo or test turns this off.
        "ADMIN_TOTP_REQUIRED": _flag("ADMIN_TOTP_REQUIRED", True),
        # Fernet keys for two-factor secrets, newest first; empty: derived from SECRET_KEY.
        "TOTP_KEYS": [k.strip() for k in (_env("TOTP_KEYS") or "").split(",") if k.strip()],
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LANGUAGES": ["nb", "nn", "en"],
    }


def _flag(name: str, default: bool) -> bool:
    value = _env(name)
    if value in (None, ""):
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def _mail_config(instance_path: str) -> dict:
    ssl = _flag("SMTP_SSL", False)
    return {
        "SMTP_HOST": _env("SMTP_HOST") or None,
        "SMTP_PORT": _int("SMTP_PORT", 465 if ssl else 587),
        "SMTP_USERNAME": _env("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": _env("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", not ssl),
        "SMTP_SSL": ssl,
        "SMTP_FROM": _env("SMTP_FROM") or "Gjestebud <noreply@gjestebud.invalid>",
        "SMTP_TIMEOUT": _int("SMTP_TIMEOUT", 30),
        "MAIL_FOLDER": _env("MAIL_FOLDER") or str(Path(instance_path) / "outbox"),
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 6),
        "MAIL_RETRY_BASE_SECONDS": _int("MAIL_RETRY_BASE_SECONDS", 120),
    }


def _privacy_config() -> dict:
    # The defaults must match docs/record-of-processing.yaml (a test compares them).
    return {
        "FEEDBACK_RETENTION_DAYS": _int("FEEDBACK_RETENTION_DAYS", 180),
        "FEEDBACK_RETENTION_FALLBACK_DAYS": _int("FEEDBACK_RETENTION_FALLBACK_DAYS", 365),
        "FEEDBACK_GRACE_DAYS": _int("FEEDBACK_GRACE_DAYS", 14),
        "MESSAGE_RETENTION_DAYS": _int("MESSAGE_RETENTION_DAYS", 90),
        "DATA_REQUEST_TTL_DAYS": _int("DATA_REQUEST_TTL_DAYS", 7),
        "CONSENT_RATE_LIMIT": _env("CONSENT_RATE_LIMIT", "10 per minute"),
        "DATA_REQUEST_RATE_LIMIT": _env("DATA_REQUEST_RATE_LIMIT", "5 per hour"),
    }


def _secret_from_instance(instance_path: str) -> str:
    """Keep a generated secret in the instance folder so restarts keep sessions."""
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key

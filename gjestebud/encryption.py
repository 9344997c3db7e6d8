"""Secrets kept encrypted in the database (two-factor secrets), with keys that can be rotated.

GJESTEBUD_TOTP_KEYS holds one or more Fernet keys separated by commas, newest first: the first
encrypts, every one of them decrypts. Without it, a key is derived from the secret key. To
rotate: put a new key first and keep the old ones after it, run `gjestebud totp rotate-key`,
then drop the old keys.
"""

from __future__ import annotations

import base64
import hashlib
import logging

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

log = logging.getLogger(__name__)

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte and a 64-bit time)
# What an unreadable secret reads as: it never matches a code, so the login fails closed.
UNREADABLE = "!unreadable"


def derived_key(secret_key: str) -> str:
    """A Fernet key derived from the app's secret key (the default when none is set)."""
    digest = hashlib.sha256(b"gjestebud-totp-key:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def parse_keys(value: str | None) -> list[str]:
    """The keys of a GJESTEBUD_TOTP_KEYS value, newest first."""
    return [key.strip() for key in (value or "").split(",") if key.strip()]


def box(keys: list[str] | None = None) -> MultiFernet:
    """Encrypt with the first key, decrypt with any."""
    keys = keys or current_app.config.get("TOTP_KEYS") or [
        derived_key(current_app.config["SECRET_KEY"])
    ]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(FERNET_PREFIX)


def encrypt(text: str, keys: list[str] | None = None) -> str:
    return box(keys).encrypt(text.encode()).decode()


def decrypt(token: str, keys: list[str] | None = None) -> str:
    """The plain text; UNREADABLE (and an error in the log) when no key opens it."""
    try:
        return box(keys).decrypt(token.encode()).decode()
    except InvalidToken:
        log.error("A two-factor secret could not be decrypted: check GJESTEBUD_TOTP_KEYS")
        return UNREADABLE


def rotate(token: str, keys: list[str] | None = None) -> str:
    """The same secret encrypted with the newest key."""
    return box(keys).rotate(token.encode()).decode()


class EncryptedString(sa.types.TypeDecorator):
    """A text column stored encrypted; reads give the plain text."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or is_encrypted(value):
            return value
        return encrypt(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt(value) if is_encrypted(value) else UNREADABLE


def check_keys(keys: list[str]) -> None:
    """Refuse to start with a key that is not a Fernet key, saying which one."""
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise RuntimeError(
                f"GJESTEBUD_TOTP_KEYS: key {number} is not a Fernet key (32 bytes in url-safe "
                "base64); make one with `gjestebud totp new-key`"
            ) from None


def new_key() -> str:
    return Fernet.generate_key().decode()

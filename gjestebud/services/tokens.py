"""Capability tokens: at least 128 random bits, easy to type, stored hashed where possible."""

from __future__ import annotations

import base64
import hashlib
import secrets


def new_token(nbytes: int = 20) -> str:
    """A random token in lowercase base32 (160 bits by default): no look-alike case issues."""
    return base64.b32encode(secrets.token_bytes(nbytes)).decode().rstrip("=").lower()


def hash_token(token: str) -> str:
    """SHA-256 of a token, for tokens we never need to show again."""
    return hashlib.sha256(token.strip().lower().encode()).hexdigest()


def normalise_token(token: str) -> str:
    """Accept a typed token with capitals, spaces or dashes."""
    return "".join(ch for ch in token.lower() if ch.isalnum())

"""Personal invitation links: derived from a stored nonce with the server's secret key.

The token is HMAC(secret key, random nonce), 160 bits. Only its SHA-256 hash (for look-up) and
the nonce are stored, so a copy of the database alone opens no invitation, yet the same link
can go into a reminder or a reprinted letter without breaking the one the host already has.
Rotating a link means a new nonce. If the secret key changes, links already sent keep working
(look-up is by hash) and the next e-mail or letter carries a fresh one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import current_app

from .. import links
from ..extensions import db
from ..models import Invitation
from .tokens import hash_token, normalise_token


def _derive(nonce: str, purpose: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    key = hmac.new(str(secret).encode(), b"gjestebud:invitation-links", hashlib.sha256).digest()
    digest = hmac.new(key, f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()[:20]
    return base64.b32encode(digest).decode().rstrip("=").lower()


def new_link(invitation: Invitation) -> str:
    """Give the invitation a new personal link; an older one stops working."""
    invitation.token_nonce = secrets.token_hex(16)
    token = _derive(invitation.token_nonce, "invitation")
    invitation.token_hash = hash_token(token)
    return token


def personal_token(invitation: Invitation) -> str:
    """The invitation's token, for an e-mail or a letter (a new one if it cannot be rebuilt)."""
    if invitation.token_nonce:
        token = _derive(invitation.token_nonce, "invitation")
        if hash_token(token) == invitation.token_hash:
            return token
    return new_link(invitation)


def personal_url(invitation: Invitation) -> str:
    """The absolute personal link for an invitation."""
    return links.invitation_url(personal_token(invitation))


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation behind a personal link, or None."""
    token = normalise_token(token or "")
    if len(token) < 26:
        return None
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(token))
    )


def meal_host_token(invitation: Invitation) -> str | None:
    """The private meal-page token of the meal registered from this invitation, if it matches."""
    meal = invitation.meal
    if meal is None or not invitation.token_nonce:
        return None
    token = derive_meal_host_token(invitation, meal.id)
    return token if hash_token(token) == meal.host_token_hash else None


def derive_meal_host_token(invitation: Invitation, meal_id: int) -> str:
    """The meal-page token for a meal registered from this invitation."""
    return _derive(invitation.token_nonce, f"meal-host:{meal_id}")

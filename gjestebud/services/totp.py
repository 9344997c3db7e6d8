"""Two-factor login with an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

A code is accepted for the current 30-second step and one step either side (clock drift), and
never twice: the last accepted step is stored. Recovery codes carry 50 random bits each and are
stored as SHA-256 hashes. Secrets are stored encrypted (gjestebud/encryption.py). The caller
commits.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

import pyotp
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from ..encryption import UNREADABLE
from ..extensions import db
from ..models import RecoveryCode, Role, TotpCredential, User, utcnow
from .posters import qr_svg
from .tokens import hash_token, new_token

STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10


def credential(user: User) -> TotpCredential | None:
    """The user's authenticator record, if any."""
    return db.session.scalar(sa.select(TotpCredential).where(TotpCredential.user_id == user.id))


def is_enabled(user: User) -> bool:
    """True when the user logs in with a code from an authenticator app."""
    cred = credential(user)
    return bool(cred and cred.secret and cred.enabled_at)


def required_for(user: User) -> bool:
    """Admins must use two-factor (unless the deployment turned the requirement off)."""
    return user.role == Role.ADMIN.value and current_app.config.get("ADMIN_TOTP_REQUIRED", True)


def needs_enrolment(user: User) -> bool:
    """True for a user who must set up an authenticator before doing anything else."""
    return required_for(user) and not is_enabled(user)


@dataclass
class Enrolment:
    secret: str
    uri: str
    qr: Markup

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four, easier to type into an app by hand."""
        return " ".join(self.secret[i:i + 4] for i in range(0, len(self.secret), 4))


def begin_enrolment(user: User, issuer: str) -> Enrolment:
    """A new secret waiting for its first code (an enabled one keeps working until then)."""
    cred = credential(user)
    if cred is None:
        cred = TotpCredential(user_id=user.id, last_used_step=0)
        db.session.add(cred)
    if not cred.pending_secret or cred.pending_secret == UNREADABLE:
        cred.pending_secret = pyotp.random_base32()  # 160 bits
    db.session.flush()
    uri = pyotp.TOTP(cred.pending_secret).provisioning_uri(name=user.email, issuer_name=issuer)
    return Enrolment(secret=cred.pending_secret, uri=uri, qr=qr_svg(uri, issuer, "qr qr-totp"))


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (now or one either side) whose code equals `code`, else None."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6 or secret == UNREADABLE:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    step = int(now // STEP_SECONDS)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.at(candidate * STEP_SECONDS), code):
            return candidate
    return None


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Turn the pending secret on if the code matches; returns new recovery codes, else None."""
    cred = credential(user)
    if cred is None or not cred.pending_secret:
        return None
    step = _matching_step(cred.pending_secret, code)
    if step is None:
        return None
    cred.secret = cred.pending_secret
    cred.pending_secret = None
    cred.enabled_at = utcnow()
    cred.last_used_step = step
    return new_recovery_codes(user)


def verify(user: User, code: str) -> str | None:
    """Check a login code: 'totp' or 'recovery' when accepted (and used up), None otherwise."""
    cred = credential(user)
    if cred is None or not cred.secret or not cred.enabled_at:
        return None
    step = _matching_step(cred.secret, code)
    if step is not None:
        if step <= cred.last_used_step:
            return None  # the same code again: a replay
        cred.last_used_step = step
        db.session.flush()
        return "totp"
    return "recovery" if _use_recovery_code(user, code) else None


def disable(user: User) -> None:
    """Remove the user's authenticator and recovery codes."""
    cred = credential(user)
    if cred is not None:
        db.session.delete(cred)
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones, shown once."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = new_token(7)[:10]  # 10 base32 characters: 50 bits
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_token(raw)))
    db.session.flush()
    return codes


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user has."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ) or 0


def _use_recovery_code(user: User, code: str) -> bool:
    raw = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    if len(raw) != 10:
        return False
    row = db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_token(raw),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    db.session.flush()
    return True

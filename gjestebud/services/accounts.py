"""Staff accounts: invitations, password links (set and reset), the password policy, roles.

The caller commits. Password links carry 160 random bits; only a SHA-256 of them is stored, a
link works once, and an invitation expires after 7 days, a reset link after 2 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, request, url_for

from ..extensions import db
from ..models import (
    AccountToken,
    AccountTokenPurpose,
    Organisation,
    Role,
    TotpCredential,
    User,
    utcnow,
)
from . import outbox
from .password_policy import password_problem
from .passwords import hash_password
from .tokens import hash_token, new_token
from .users import end_sessions, user_by_email

INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=2)
# Not an argon2 hash, so no password ever matches it (verify_password treats it as invalid).
UNUSABLE_PASSWORD = "!unset"

class AccountError(ValueError):
    """A request about an account that cannot be done; `reason` says why, for the form."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, name=user.name or "")
    if problem:
        raise AccountError(problem)


# --- password links --------------------------------------------------------------------------

def _absolute_url(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if has_request_context():
        return (base or request.host_url.rstrip("/")) + url_for(endpoint, **values)
    with current_app.test_request_context():
        return (base or "http://127.0.0.1:8000") + url_for(endpoint, **values)


def password_link(token: str) -> str:
    """The absolute link in an invitation or reset e-mail."""
    return _absolute_url("account.password_link", token=token)


def issue_token(
    user: User, purpose: str, *, created_by: User | None = None
) -> tuple[str, AccountToken]:
    """A new single-use password link (token, row) for the user; earlier links stop working."""
    now = utcnow()
    for old in db.session.scalars(
        sa.select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
    ):
        old.expires_at = now
    token = new_token(20)
    ttl = INVITE_TTL if purpose == AccountTokenPurpose.INVITE.value else RESET_TTL
    row = AccountToken(
        user_id=user.id, token_hash=hash_token(token), purpose=purpose,
        created_by_id=created_by.id if created_by else None, created_at=now, expires_at=now + ttl,
    )
    db.session.add(row)
    db.session.flush()
    return token, row


def valid_token(token: str) -> AccountToken | None:
    """The unused, unexpired link for an active account, or None (all failures look the same)."""
    if not token or len(token) > 128:
        return None
    row = db.session.scalar(
        sa.select(AccountToken).where(AccountToken.token_hash == hash_token(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    if not row.user.active:
        return None
    return row


def set_password_with_token(row: AccountToken, password: str) -> User:
    """Set the password from a link; the link is used up and every old session ends."""
    user = row.user
    _check_password(user, password)
    row.used_at = utcnow()
    change_password(user, password)
    return user


def change_password(user: User, password: str) -> None:
    """Replace a password after the policy check; all the user's sessions end."""
    _check_password(user, password)
    user.password_hash = hash_password(password)
    end_sessions(user)


def has_password(user: User) -> bool:
    """False for an invited person who has not set a password yet."""
    return user.password_hash != UNUSABLE_PASSWORD


# --- invitations and resets ------------------------------------------------------------------

def normalised_address(email: str) -> str:
    """The address as accounts store it (lower case, normalised); AccountError if invalid."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise AccountError("bad_email") from None


def invite_staff(org: Organisation, email: str, *, name: str, role: str, invited_by: User,
                 language: str) -> User | None:
    """Create an account without a password and e-mail the person a link to set one.

    An address with an account in another organisation gets no account here, only an e-mail
    that says so; the caller answers as if it had worked (None), so that an administrator
    cannot find out who has an account elsewhere. One's own organisation's accounts are listed
    for the administrator anyway, so there "exists" is said plainly.
    """
    address = normalised_address(email)
    if role not in {r.value for r in Role}:
        raise AccountError("bad_role")
    existing = user_by_email(address)
    if existing is not None and existing.organisation_id == org.id:
        raise AccountError("exists")
    if existing is not None:
        _tell_account_elsewhere(existing, org, invited_by)
        return None
    user = User(organisation_id=org.id, email=address, name=name.strip(),
                password_hash=UNUSABLE_PASSWORD, role=role, language=language)
    db.session.add(user)
    db.session.flush()
    send_invitation(user, invited_by=invited_by)
    return user


def _tell_account_elsewhere(existing: User, org: Organisation, invited_by: User) -> None:
    """Tell the owner of an address that another organisation tried to invite it."""
    # Filed under the owner's organisation: the inviting one's outbox must not show it (that
    # would tell its administrators the address has an account). One a day per organisation.
    outbox.queue_message(
        kind="staff_invite_elsewhere", recipient=existing.email, language=existing.language,
        dedupe_key=f"staff-invite-elsewhere:{org.id}:{existing.id}:{utcnow().date()}",
        organisation_id=existing.organisation_id,
        context={"organisation_name": org.name, "inviter_name": invited_by.name},
    )


def send_invitation(user: User, *, invited_by: User) -> None:
    """(Re)send the invitation e-mail with a fresh 7-day link; older links stop working."""
    token, row = issue_token(user, AccountTokenPurpose.INVITE.value, created_by=invited_by)
    outbox.queue_message(
        kind="staff_invite", recipient=user.email, language=user.language,
        dedupe_key=f"staff-invite:{row.id}", organisation_id=user.organisation_id,
        context={
            "organisation_name": user.organisation.name, "inviter_name": invited_by.name,
            "role": user.role, "link": password_link(token), "days": INVITE_TTL.days,
        },
    )


def request_password_reset(email: str, language: str) -> None:
    """E-mail a 2-hour reset link if an active account has this address; silent otherwise."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    token, row = issue_token(user, AccountTokenPurpose.RESET.value)
    outbox.queue_message(
        kind="password_reset", recipient=user.email, language=language,
        dedupe_key=f"password-reset:{row.id}", organisation_id=user.organisation_id,
        context={"organisation_name": user.organisation.name, "link": password_link(token),
                 "hours": int(RESET_TTL.total_seconds() // 3600)},
    )


# --- the organisation's staff ----------------------------------------------------------------

@dataclass
class StaffRow:
    user: User
    status: str  # active | invited | deactivated
    two_factor: bool


def staff_list(organisation_id: int) -> list[StaffRow]:
    """The organisation's staff, with whether they have set a password and use two-factor."""
    users = db.session.scalars(
        sa.select(User).where(User.organisation_id == organisation_id)
        .order_by(sa.func.lower(User.name), User.email)
    ).all()
    enabled = set(db.session.scalars(
        sa.select(TotpCredential.user_id).where(TotpCredential.enabled_at.is_not(None))
    ))
    return [StaffRow(user=u, status=staff_status(u), two_factor=u.id in enabled) for u in users]


def staff_status(user: User) -> str:
    """active, invited (no password yet) or deactivated."""
    if not user.active:
        return "deactivated"
    return "active" if has_password(user) else "invited"


def user_in_organisation(organisation_id: int, user_id: int) -> User | None:
    """The user if they belong to the organisation; None for anyone else's staff."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.organisation_id == organisation_id else None


def _other_active_admins(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(
            User.organisation_id == user.organisation_id, User.role == Role.ADMIN.value,
            User.active.is_(True), User.id != user.id,
        )
    ) or 0


def change_role(user: User, role: str) -> None:
    """Give the user another role; the organisation always keeps an active admin."""
    if role not in {r.value for r in Role}:
        raise AccountError("bad_role")
    if user.role == Role.ADMIN.value and role != user.role and not _other_active_admins(user):
        raise AccountError("last_admin")
    user.role = role
    db.session.flush()


def deactivate(user: User, *, by: User) -> None:
    """Stop an account: it cannot log in, and every open session of it ends now."""
    if user.id == by.id:
        raise AccountError("self")
    if user.role == Role.ADMIN.value and not _other_active_admins(user):
        raise AccountError("last_admin")
    user.active = False
    end_sessions(user)


def reactivate(user: User) -> None:
    """Let a deactivated account log in again."""
    user.active = True
    db.session.flush()

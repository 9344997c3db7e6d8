"""Staff accounts: create, authenticate, end sessions. The caller commits."""

from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from ..extensions import db
from ..models import Organisation, Role, User, utcnow
from .password_policy import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem
from .passwords import hash_password, needs_rehash, verify_password


class UserError(ValueError):
    """An account that cannot be created; the message is meant for the operator."""


def normalise_email(email: str) -> str:
    """Trim and lowercase an e-mail address so that lookups are case-insensitive."""
    return (email or "").strip().lower()


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation with this slug, or None."""
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def get_or_create_organisation(slug: str, name: str | None = None) -> Organisation:
    """The organisation with this slug; created only when a name is given."""
    org = organisation_by_slug(slug)
    if org is not None:
        return org
    if not name:
        raise UserError(f"Organisation '{slug}' does not exist; give --org-name to create it.")
    org = Organisation(slug=slug, name=name.strip())
    db.session.add(org)
    db.session.flush()
    return org


def check_password(password: str, email: str = "", name: str = "") -> None:
    """Refuse passwords the policy refuses: too short, too long, or common."""
    problem = password_problem(password, email=email, name=name)
    if problem == "too_short":
        raise UserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if problem == "too_long":
        raise UserError(f"The password can be at most {MAX_PASSWORD_LENGTH} characters.")
    if problem == "common":
        raise UserError("That password is too common or easy to guess; choose another.")


def user_by_email(email: str) -> User | None:
    """The account with this e-mail address (case-insensitive), or None."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(
    org: Organisation,
    email: str,
    password: str,
    *,
    name: str = "",
    role: str = Role.COORDINATOR.value,
) -> User:
    """Create a staff account with an argon2id password hash."""
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise UserError(f"Not a valid e-mail address: {error}") from None
    if role not in {r.value for r in Role}:
        raise UserError(f"Unknown role '{role}'.")
    check_password(password, email=address, name=name)
    if user_by_email(address) is not None:
        raise UserError("A user with this e-mail address already exists.")
    user = User(
        organisation_id=org.id,
        email=address,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Replace a user's password; every existing session of theirs stops working."""
    check_password(password, email=user.email, name=user.name or "")
    user.password_hash = hash_password(password)
    end_sessions(user)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = user_by_email(email)
    # verify_password checks a dummy hash for unknown accounts, so timing does not tell.
    ok = verify_password(user.password_hash if user else None, password or "")
    if user is None or not ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to the user (logout, password change)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()

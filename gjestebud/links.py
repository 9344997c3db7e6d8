"""Absolute links that leave the app: on posters, in e-mails and on the command line."""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for


def _absolute(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if has_request_context():
        return (base or request.host_url.rstrip("/")) + url_for(endpoint, **values)
    # On the command line there is no request: build the path in a throwaway one.
    with current_app.test_request_context():
        return (base or "http://127.0.0.1:8000") + url_for(endpoint, **values)


def guest_url(meal, position: int | None = None) -> str:
    """The link guests open from a QR poster; with a position, for one question."""
    if position is None:
        return _absolute("public.meal", token=meal.public_token)
    return _absolute("public.meal", token=meal.public_token, q=position)


def host_url(host_token: str) -> str:
    """The host's private page for their meal."""
    return _absolute("host.meal", token=host_token)


def registration_url(campaign) -> str:
    """The public page where a host registers a meal for a campaign."""
    return _absolute("host.register", slug=campaign.slug)


def staff_login_url() -> str:
    """The staff login page, for the demo's printout and for e-mails to staff."""
    return _absolute("staff.login")


def invitation_url(token: str) -> str:
    """A host's personal invitation link (in the invitation e-mail, letter and reminders)."""
    return _absolute("invitation.show", token=token)

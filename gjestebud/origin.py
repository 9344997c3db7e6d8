"""Did a request come from one of our own pages? Browsers say so in Sec-Fetch-Site, or in the
Origin and Referer headers; a request from another site must never change anything for staff.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request

SAME = "same"
OTHER = "other"
UNKNOWN = "unknown"  # the client told nothing (not a browser, or a very old one)


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def our_origins() -> set[str]:
    """The origins our pages are served from: this request's host and the public base URL."""
    origins = {_origin_of(request.host_url)}
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if base:
        origins.add(_origin_of(base))
    origins.discard(None)
    return origins


def request_origin() -> str:
    """SAME, OTHER or UNKNOWN for the current request.

    Sec-Fetch-Site is sent by every current browser and cannot be set by a page; "same-site"
    (another port or subdomain of the same site) counts as another origin. Without it, Origin
    and then Referer are compared with our origins; "Origin: null" (a sandboxed frame, a data:
    URL, or a page that sends no referrer) is never ours.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return SAME if site.strip().lower() == "same-origin" else OTHER
    origin = request.headers.get("Origin")
    if origin is not None:
        return SAME if _origin_of(origin.strip()) in our_origins() else OTHER
    referer = request.headers.get("Referer")
    if referer:
        return SAME if _origin_of(referer.strip()) in our_origins() else OTHER
    return UNKNOWN

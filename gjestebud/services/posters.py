"""QR codes as inline SVG for the host page and the printed posters.

The SVG carries no style attribute and no id, so the strict CSP allows it and several codes can
share one page; the page's CSS sizes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from markupsafe import Markup, escape
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathImage

SVG_NS = "http://www.w3.org/2000/svg"


def _qr(url: str) -> qrcode.QRCode:
    # Level M survives a crease or a coffee ring on a printed poster and keeps the code small.
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return qr


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR modules for a URL, quiet zone included (True = dark)."""
    return _qr(url).get_matrix()


def qr_svg(url: str, label: str, css_class: str = "qr") -> Markup:
    """An inline SVG QR code for a URL, with an accessible name."""
    image = _qr(url).make_image(image_factory=SvgPathImage)
    size = image.units(image.pixel_size, text=False)
    path = image.path.get("d")
    label = escape(label)
    return Markup(
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {size} {size}" class="{escape(css_class)}" '
        f'role="img" aria-label="{label}" focusable="false" shape-rendering="crispEdges">'
        f"<title>{label}</title>"
        f'<rect width="{size}" height="{size}" fill="#ffffff"/>'
        f'<path d="{escape(path)}" fill="#000000"/>'
        "</svg>"
    )


@dataclass
class GuestCode:
    """One QR code on the host page or a poster: which question, where it leads, the picture."""

    position: int | None
    url: str
    svg: Markup


def guest_code(url: str, position: int | None, label: str, css_class: str = "qr") -> GuestCode:
    """A QR code for one guest link."""
    return GuestCode(position=position, url=url, svg=qr_svg(url, label, css_class))

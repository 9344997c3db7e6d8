"""Printed invitation letters: the text, the personal link and its QR code, in the host's language.

Read-only, except that a link which can no longer be rebuilt (the server key changed) is renewed
so the letter carries one that works; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..models import Campaign, Invitation
from . import invitation_links, invitation_texts
from . import invitations as inv
from .posters import qr_svg


@dataclass
class Letter:
    invitation: Invitation
    url: str
    code: Markup
    texts: dict[str, str]
    paragraphs: list[list[str]]


def build_letter(campaign: Campaign, invitation: Invitation, today: date) -> Letter:
    """One letter, worded in the invitation's language whatever the page's language is."""
    lang = invitation.language
    url = invitation_links.personal_url(invitation)
    settings = inv.settings_for(campaign)
    text = invitation_texts.invitation_text(campaign, settings, lang)
    with force_locale(lang):
        texts = {
            "title": _("Invitation to host a gjestebud"),
            "greeting": _("Hello, %(name)s!", name=invitation.host.name),
            "link_heading": _("Your personal page"),
            "scan": _("Scan the code with your phone camera, or type the address, to say yes or "
                      "no and to register your meal."),
            "personal": _("The link is personal: please do not share it."),
            "date": invitation_texts.today_text(today, lang),
            "contact": contact_lines(settings, lang),
        }
        code = qr_svg(url, _("QR code for your personal page, opens %(url)s", url=url),
                      "qr letter-qr")
    return Letter(invitation=invitation, url=url, code=code, texts=texts,
                  paragraphs=invitation_texts.paragraphs(text))


def contact_lines(settings, lang: str) -> str:
    """"Please answer by …" and "Questions? Contact …", in the current locale ('' when unset)."""
    lines = []
    if settings.reply_by:
        lines.append(_("Please answer by %(date)s.",
                       date=invitation_texts.today_text(settings.reply_by, lang)))
    who = [v for v in (settings.contact_name, settings.contact_phone, settings.contact_email) if v]
    if who:
        lines.append(_("Questions? Contact %(who)s.", who=", ".join(who)))
    return "\n".join(lines)


def letters_to_print(campaign: Campaign) -> list[Invitation]:
    """Hosts not invited yet who have no e-mail address: they need a letter."""
    return [i for i in inv.unsent(campaign) if not i.host.email]

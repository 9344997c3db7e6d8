"""Invitation texts: a written default per language, filled in from the campaign, or staff's own.

The default is content, like the default questions, so it is written out in each language here
rather than translated through the message catalogue: a municipality sends it to citizens and
it has to read like a letter, not like interface text.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from ..models import Campaign, InvitationSettings

_TEXTS = {
    "nb": {
        "intro": "{organisation} inviterer deg til å være vert for et gjestebud.",
        "what": (
            "Et gjestebud er et måltid hjemme hos deg eller et annet sted du liker, med en liten "
            "gruppe du velger selv – for eksempel naboer, venner, en forening eller en språkkafé. "
            "Ingen fra kommunen er til stede. Mens dere spiser, snakker dere om noen spørsmål fra "
            "oss og skriver svarene på lapper, på papir eller på mobilen. Svarene er anonyme."
        ),
        "why": "Hvorfor vi gjør dette:",
        "questions": "Dette lurer vi på:",
        "use": "Dette skjer med svarene:",
        "deadline": "Fristen er {date}. Hold gjestebudet og send inn svarene innen da.",
        "no_deadline": "Vi setter pris på om du svarer så snart du kan.",
        "ask": (
            "Vil du være med? Det tar bare noen minutter å melde på måltidet, og du får plakater "
            "med QR-koder som gjestene kan skanne."
        ),
        "thanks": "Tusen takk for at du vil bidra!",
        "organisation": "Kommunen",
    },
    "nn": {
        "intro": "{organisation} inviterer deg til å vere vert for eit gjestebod.",
        "what": (
            "Eit gjestebod er eit måltid heime hos deg eller ein annan stad du likar, med ei lita "
            "gruppe du vel sjølv – til dømes naboar, vener, ei foreining eller ein språkkafé. "
            "Ingen frå kommunen er til stades. Medan de et, snakkar de om nokre spørsmål frå oss "
            "og skriv svara på lappar, på papir eller på mobilen. Svara er anonyme."
        ),
        "why": "Kvifor vi gjer dette:",
        "questions": "Dette lurer vi på:",
        "use": "Dette skjer med svara:",
        "deadline": "Fristen er {date}. Hald gjestebodet og send inn svara innan då.",
        "no_deadline": "Vi set pris på om du svarar så snart du kan.",
        "ask": (
            "Vil du vere med? Det tek berre nokre minutt å melde på måltidet, og du får plakatar "
            "med QR-kodar som gjestene kan skanne."
        ),
        "thanks": "Tusen takk for at du vil bidra!",
        "organisation": "Kommunen",
    },
    "en": {
        "intro": "{organisation} invites you to host a gjestebud.",
        "what": (
            "A gjestebud (Norwegian for a guest meal) is a meal at your home or another place you "
            "like, with a small group you choose yourself – neighbours, friends, a club or a "
            "language café, for example. Nobody from the municipality is there. While you eat, "
            "you talk about a few questions from us and write the answers on notes, on paper or "
            "on your phones. The answers are anonymous."
        ),
        "why": "Why we are doing this:",
        "questions": "What we would like to know:",
        "use": "What happens with the answers:",
        "deadline": "The deadline is {date}. Please hold the meal and send in the answers by then.",
        "no_deadline": "We would be glad if you answer as soon as you can.",
        "ask": (
            "Would you like to take part? Registering your meal takes only a few minutes, and "
            "you get posters with QR codes for your guests to scan."
        ),
        "thanks": "Thank you very much for helping!",
        "organisation": "The municipality",
    },
}


def _lang(lang: str) -> str:
    return lang if lang in _TEXTS else "nb"


def _babel_locale(lang: str) -> str:
    # English for readers in Norway: day before month, as in "30 June 2026".
    return "en_GB" if _lang(lang) == "en" else _lang(lang)


def deadline_text(campaign: Campaign, lang: str) -> str:
    """The campaign's closing date in words, in the given language ('' without a date)."""
    if not campaign.closes_on:
        return ""
    return format_date(campaign.closes_on, "long", locale=_babel_locale(lang))


def default_text(campaign: Campaign, lang: str, organisation_name: str | None = None) -> str:
    """The default invitation text for a campaign in one language (nb, nn or en)."""
    t = _TEXTS[_lang(lang)]
    parts = [t["intro"].format(organisation=organisation_name or t["organisation"]), t["what"]]
    if campaign.purpose(lang):
        parts.append(f"{t['why']}\n{campaign.purpose(lang)}")
    questions = [f"– {q.text(lang)}" for q in campaign.questions]
    if questions:
        parts.append("\n".join([t["questions"], *questions]))
    if campaign.results_use(lang):
        parts.append(f"{t['use']}\n{campaign.results_use(lang)}")
    if campaign.closes_on:
        parts.append(t["deadline"].format(date=deadline_text(campaign, lang)))
    else:
        parts.append(t["no_deadline"])
    parts.extend([t["ask"], t["thanks"]])
    return "\n\n".join(parts)


def invitation_text(
    campaign: Campaign, settings: InvitationSettings | None, lang: str
) -> str:
    """The text to send in a language: staff's own if they wrote one, else the default."""
    own = (settings.texts or {}).get(lang) if settings is not None else None
    return own or default_text(campaign, lang, campaign.organisation.name)


def paragraphs(text: str) -> list[list[str]]:
    """Split plain text into paragraphs of lines, for HTML e-mails and letters."""
    blocks = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n")]
    return [[line for line in block.split("\n")] for block in blocks if block.strip()]


def today_text(today: date, lang: str) -> str:
    """A date for the head of a letter, in the letter's language."""
    return format_date(today, "long", locale=_babel_locale(lang))

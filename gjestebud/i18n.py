"""Language choice: ?lang= on any page, remembered in the session, else the browser's."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale

LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def select_locale() -> str:
    """Flask-Babel locale selector."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    if g.get("page_language") in languages:
        return g.page_language
    # Browsers often send "no" for Norwegian: treat it as bokmål.
    best = request.accept_languages.best_match(languages + ["no"])
    if best == "no":
        return "nb"
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def set_page_language(code: str | None) -> None:
    """The language a page speaks unless the visitor has picked one (e.g. a meal's language).

    Call it before anything on the page is translated.
    """
    g.page_language = code


def current_language() -> str:
    """The language code of the page being rendered (nb, nn or en)."""
    return str(get_locale() or "nb")


def language_label(code: str) -> str:
    """The name of a language in the page's language ("Arabisk" for "ar" on a bokmål page),
    or the code itself when there is no name for it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(current_language()).languages.get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return name[:1].upper() + name[1:] if name else code


def remember_language() -> None:
    """Keep a language picked with ?lang= for the next pages, whatever this page renders in."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"] and session.get("lang") != asked:
        session["lang"] = asked


def init_app(app: Flask) -> None:
    app.before_request(remember_language)

    @app.context_processor
    def _language_context():
        return {
            "current_language": current_language,
            "language_names": LANGUAGE_NAMES,
            "language_label": language_label,
        }

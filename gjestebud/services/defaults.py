"""Default texts from the gjestebud method: questions, places and target groups."""

from __future__ import annotations

from dataclasses import dataclass

COLOURS = ("yellow", "pink", "green", "blue", "orange", "purple")


@dataclass(frozen=True)
class DefaultQuestion:
    texts: dict[str, str]
    plain_texts: dict[str, str]
    colour: str


DEFAULT_QUESTIONS = (
    DefaultQuestion(
        texts={
            "nb": "Hva liker du best i ditt nærmiljø?",
            "nn": "Kva likar du best i nærmiljøet ditt?",
            "en": "What do you like best about your neighbourhood?",
        },
        plain_texts={
            "nb": "Hva er det beste med stedet der du bor?",
            "nn": "Kva er det beste med staden der du bur?",
            "en": "What is the best thing about where you live?",
        },
        colour="yellow",
    ),
    DefaultQuestion(
        texts={
            "nb": "Hva kan innbyggertorg og bibliotek bidra med i ditt nærmiljø?",
            "nn": "Kva kan innbyggjartorg og bibliotek bidra med i nærmiljøet ditt?",
            "en": "What can the citizen service centre and the library do for your neighbourhood?",
        },
        plain_texts={
            "nb": "Hva kan biblioteket og kommunens servicekontor gjøre for deg der du bor?",
            "nn": "Kva kan biblioteket og servicekontoret til kommunen gjere for deg der du bur?",
            "en": "What can the library and the council's service desk do for you where you live?",
        },
        colour="pink",
    ),
    DefaultQuestion(
        texts={
            "nb": "Hva drømmer du om at finnes i ditt nærmiljø?",
            "nn": "Kva drøymer du om skal finnast i nærmiljøet ditt?",
            "en": "What do you dream of having in your neighbourhood?",
        },
        plain_texts={
            "nb": "Hva ønsker du deg der du bor?",
            "nn": "Kva ønskjer du deg der du bur?",
            "en": "What would you wish for where you live?",
        },
        colour="green",
    ),
)

DEFAULT_TARGET_GROUPS = (
    "pensjonister",
    "språkkafé",
    "barselgruppe",
    "studenter",
    "lag og foreninger",
    "barn og unge",
)

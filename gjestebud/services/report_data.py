"""The data of one report in one language, as dataclasses that round-trip through JSON.

A draft report is built from the live analysis; publishing stores `to_json()` of each language
in `Report.published`, and the public page, the PDF and the figures are made from
`ReportData.from_json()` of that copy. Texts written by people carry the language they are
written in (`Text`), so a page can mark a text that falls back to another language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Text:
    """A text and the language it is written in ("" text: none)."""

    text: str = ""
    lang: str = ""

    def __bool__(self) -> bool:
        return bool(self.text.strip())


@dataclass
class Counts:
    meals_registered: int = 0
    meals_held: int = 0
    places: int = 0
    target_groups: int = 0
    notes: int = 0  # visible notes (hidden ones never count)
    analysed_notes: int = 0


@dataclass
class ThemeShare:
    """A theme's size within a scope (a question, or all notes); share is 0..1."""

    theme_id: int
    label: str
    count: int
    share: float


@dataclass
class Quote:
    """A note quoted in the report: masked text and where it was written."""

    text: str
    place: str
    target_group: str
    question_code: str
    # Never shown: lets a published quote be dropped at once when its note is hidden later.
    note_id: int = 0
    language: str = ""  # the language the note is written in, for the quote's lang


@dataclass
class MainTheme:
    theme_id: int
    label: str
    count: int
    share: float
    keywords: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Cloud:
    """A word cloud: its image scope, a title, and its top words as the text alternative."""

    scope: str  # overall | question-q1 | …
    title: str
    words: list[list] = field(default_factory=list)  # [[word, notes using it], …]

    @property
    def alt_words(self) -> str:
        return ", ".join(str(w) for w, _n in self.words[:5])


@dataclass
class QuestionSection:
    code: str
    text: str
    n_notes: int
    themes: list[ThemeShare] = field(default_factory=list)
    summary: Text = field(default_factory=Text)
    cloud: Cloud | None = None


@dataclass
class GroupFindings:
    """What stood out in one place or target group, in words."""

    name: str
    sentences: list[str] = field(default_factory=list)


@dataclass
class FigureRow:
    """One cell of the figures table: a theme's notes in one question, place or group."""

    theme: str
    dimension: str  # all | question | place | target_group
    group: str
    count: int
    group_total: int


@dataclass
class ReportData:
    lang: str
    title: str
    purpose: str = ""
    intro: Text = field(default_factory=Text)
    closing: Text = field(default_factory=Text)
    counts: Counts = field(default_factory=Counts)
    questions: list[QuestionSection] = field(default_factory=list)
    themes: list[MainTheme] = field(default_factory=list)
    places: list[GroupFindings] = field(default_factory=list)
    target_groups: list[GroupFindings] = field(default_factory=list)
    overall_cloud: Cloud | None = None
    figures: list[FigureRow] = field(default_factory=list)
    analysed_at: str | None = None  # ISO date and time of the analysis run used
    has_analysis: bool = False

    @property
    def clouds(self) -> list[Cloud]:
        """Every word cloud in the report, overall first."""
        out = [self.overall_cloud] if self.overall_cloud else []
        return out + [q.cloud for q in self.questions if q.cloud]

    def to_json(self) -> dict:
        """A JSON-safe dict (what `Report.published` stores per language)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ReportData:
        """The report data again from `to_json()`."""
        def cloud(d):
            return Cloud(**d) if d else None

        return cls(
            lang=data["lang"], title=data["title"], purpose=data.get("purpose", ""),
            intro=Text(**data.get("intro", {})), closing=Text(**data.get("closing", {})),
            counts=Counts(**data.get("counts", {})),
            questions=[
                QuestionSection(
                    code=q["code"], text=q["text"], n_notes=q["n_notes"],
                    themes=[ThemeShare(**t) for t in q.get("themes", [])],
                    summary=Text(**q.get("summary", {})), cloud=cloud(q.get("cloud")),
                ) for q in data.get("questions", [])
            ],
            themes=[
                MainTheme(**{**t, "quotes": [Quote(**x) for x in t.get("quotes", [])]})
                for t in data.get("themes", [])
            ],
            places=[GroupFindings(**g) for g in data.get("places", [])],
            target_groups=[GroupFindings(**g) for g in data.get("target_groups", [])],
            overall_cloud=cloud(data.get("overall_cloud")),
            figures=[FigureRow(**f) for f in data.get("figures", [])],
            analysed_at=data.get("analysed_at"), has_analysis=data.get("has_analysis", False),
        )

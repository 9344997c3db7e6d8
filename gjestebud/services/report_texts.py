"""Sentences the report makes from figures, in the language being rendered (force_locale)."""

from __future__ import annotations

from flask_babel import format_decimal, format_percent, ngettext
from flask_babel import gettext as _

from .report_data import ReportData
from .workspace import Finding


def lift_text(lift: float) -> str:
    """3.1 as the locale writes it: "3,1" in Norwegian."""
    return format_decimal(lift, format="#,##0.0")


def share_text(share: float) -> str:
    """0.25 as "25 %" (Norwegian) or "25%" (English)."""
    return format_percent(share)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def finding_sentence(finding: Finding) -> str:
    """“Gaming og e-sport: 3,1× more common in Svelvik than elsewhere”, translated."""
    theme = _capitalised(finding.theme.label)
    lift = lift_text(finding.lift)
    if finding.kind == "location":
        return _("%(theme)s: %(lift)s× more common in %(group)s than elsewhere",
                 theme=theme, lift=lift, group=finding.group)
    return _("%(theme)s: %(lift)s× more common among %(group)s than in other groups",
             theme=theme, lift=lift, group=finding.group)


def theme_line(label: str, count: int, share: float) -> str:
    """“Gaming: 12 notes (25 %)”."""
    return ngettext("%(label)s: %(num)d note (%(share)s)", "%(label)s: %(num)d notes (%(share)s)",
                    count, label=_capitalised(label), share=share_text(share))


def summary_text(data: ReportData) -> str:
    """The main themes of each question as plain text, for an e-mail."""
    blocks = []
    for q in data.questions:
        if not q.themes:
            continue
        lines = [q.text, ngettext("%(num)d note", "%(num)d notes", q.n_notes)]
        lines += [f"- {theme_line(t.label, t.count, t.share)}" for t in q.themes]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)

"""Texts the analyst pages build from data: edit descriptions, findings, run stages, errors."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..models import ThemeEdit
from ..services.workspace import Finding

EDIT_ERRORS = {
    "empty": lambda: _("Enter a name."),
    "too_long": lambda: _("The name can be at most 120 characters."),
    "label_taken": lambda: _("Another theme already has this name. Choose another name, or "
                             "merge the two themes."),
    "no_notes": lambda: _("Select at least one note."),
    "same_theme": lambda: _("Choose another theme to merge into."),
    "not_in_theme": lambda: _("That note is not in this theme any more."),
    "too_many_pins": lambda: _("A theme can have at most three pinned quotes. Unpin one first."),
}

STAGES = {
    "queued": _l("Waiting to start"),
    "reading": _l("Reading the notes"),
    # The pipeline's own stages (analysis.pipeline.STAGES).
    "preparing": _l("Preparing the texts"),
    "language": _l("Recognising the languages"),
    "features": _l("Reading the words of every note"),
    "filing": _l("Filing notes under known themes"),
    "clustering": _l("Finding new themes"),
    "labels": _l("Naming the themes"),
    "statistics": _l("Comparing places, questions and target groups"),
    "wordclouds": _l("Drawing the word clouds"),
    "themes": _l("Finding themes (this takes the longest)"),
    "saving": _l("Saving the themes"),
    "done": _l("Done"),
    "failed": _l("Stopped with an error"),
    "stopped": _l("Stopped unexpectedly"),
    "not_started": _l("Did not start"),
}

# What the analyst is told when a run ends without a result, by run_state().
RUN_FAILURES = {
    "failed": lambda: _("The analysis stopped with an error. Please try again; if it happens "
                        "again, tell your administrator."),
    "stopped": lambda: _("The analysis stopped unexpectedly. Start it again; your edits are "
                         "kept."),
    "not_started": lambda: _("The analysis did not start. Start it again; if it happens again, "
                             "tell your administrator."),
}


def failure_text(state: str) -> str:
    """Why a run ended without a result, for a run_state() of failed, stopped or not_started."""
    return RUN_FAILURES.get(state, RUN_FAILURES["failed"])()


def stage_text(stage: str) -> str:
    """The run stage in words."""
    return str(STAGES.get(stage, stage))


def describe_edit(edit: ThemeEdit) -> str:
    """One line saying what an edit did, for the undo button and the edit list."""
    p = edit.payload or {}
    n = len(p.get("notes", []))
    if edit.kind == "rename":
        return _("renamed “%(old)s” to “%(new)s”", old=p["label"], new=p["new_label"])
    if edit.kind == "merge":
        return _("merged “%(source)s” into “%(target)s”", source=p["source_label"],
                 target=p["target_label"])
    if edit.kind == "move":
        return ngettext("moved %(num)d note to “%(target)s”", "moved %(num)d notes to “%(target)s”",
                        n, target=p.get("target_label") or _("No theme"))
    if edit.kind == "split":
        return ngettext("split %(num)d note from “%(old)s” into “%(new)s”",
                        "split %(num)d notes from “%(old)s” into “%(new)s”", n, old=p["label"],
                        new=p["new_label"])
    if edit.kind == "create":
        return _("created the theme “%(label)s”", label=p["label"])
    if edit.kind == "hide":
        return ngettext("hid %(num)d note", "hid %(num)d notes", n)
    if edit.kind == "pin":
        return _("pinned a quote in “%(label)s”", label=p["label"])
    return _("unpinned a quote in “%(label)s”", label=p.get("label", ""))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def finding_sentence(finding: Finding, lift_text: str, question_texts: dict[str, str]) -> str:
    """“Gaming og e-sport: 3,1× more common in Svelvik than elsewhere”, in the UI language."""
    theme = _capitalised(finding.theme.label)
    if finding.kind == "location":
        return _("%(theme)s: %(lift)s× more common in %(group)s than elsewhere",
                 theme=theme, lift=lift_text, group=finding.group)
    if finding.kind == "target_group":
        return _("%(theme)s: %(lift)s× more common among %(group)s than in other groups",
                 theme=theme, lift=lift_text, group=finding.group)
    question = question_texts.get(finding.group, finding.group)
    return _("%(theme)s: %(lift)s× more common in answers to “%(question)s” than to the other "
             "questions", theme=theme, lift=lift_text, question=question)


def hint_sentence(finding: Finding, lift_text: str, question_texts: dict[str, str]) -> str:
    """“Natur: perhaps more common in Askim (2,4×, 5 notes)”: worth a look, not a finding."""
    theme = _capitalised(finding.theme.label)
    if finding.kind == "location":
        return ngettext("%(theme)s: perhaps more common in %(group)s (%(lift)s×, %(num)d note)",
                        "%(theme)s: perhaps more common in %(group)s (%(lift)s×, %(num)d notes)",
                        finding.count, theme=theme, group=finding.group, lift=lift_text)
    if finding.kind == "target_group":
        return ngettext("%(theme)s: perhaps more common among %(group)s (%(lift)s×, %(num)d note)",
                        "%(theme)s: perhaps more common among %(group)s (%(lift)s×, %(num)d notes)",
                        finding.count, theme=theme, group=finding.group, lift=lift_text)
    question = question_texts.get(finding.group, finding.group)
    return ngettext("%(theme)s: perhaps more common in answers to “%(question)s” (%(lift)s×, "
                    "%(num)d note)",
                    "%(theme)s: perhaps more common in answers to “%(question)s” (%(lift)s×, "
                    "%(num)d notes)", finding.count, theme=theme, question=question,
                    lift=lift_text)

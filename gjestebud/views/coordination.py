"""Coordinating a campaign's hosts: add and import them, send invitations or print letters,
follow the funnel, record contact and set the reminders. For coordinators and admins."""

from __future__ import annotations

import logging
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..extensions import db
from ..forms.coordination import (
    CONTACT_LABELS,
    ActionForm,
    AddHostForm,
    ContactForm,
    ImportForm,
    InvitationTextForm,
    ReminderSettingsForm,
)
from ..models import Campaign, Invitation
from ..services import audit, invitation_texts, letters, reminders
from ..services import funnel as funnel_service
from ..services import invitation_import as importer
from ..services import invitations as inv
from . import own_campaign
from .staff import role_required

bp = Blueprint("coordination", __name__, url_prefix="/staff/campaigns/<int:campaign_id>")
log = logging.getLogger(__name__)

coordinators = role_required("coordinator", "admin")


def _invitation(campaign: Campaign, invitation_id: int) -> Invitation:
    invitation = inv.invitation_in_campaign(campaign, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), 303)


# --- hosts and invitations -------------------------------------------------------------------


def _invitations_page(campaign: Campaign, form: AddHostForm, status: int = 200):
    invitations = inv.campaign_invitations(campaign)
    unsent = [i for i in invitations if i.status == inv.NEW]
    return render_template(
        "coordination/invitations.html",
        campaign=campaign,
        form=form,
        action_form=ActionForm(),
        invitations=invitations,
        unsent_with_email=[i for i in unsent if i.host.email],
        unsent_without_email=[i for i in unsent if not i.host.email],
    ), status


@bp.get("/invitations")
@coordinators
def invitations(campaign_id: int):
    """The campaign's hosts and invitations, with a form to add one and the send button."""
    campaign = own_campaign(campaign_id)
    form = AddHostForm(data={"language": campaign.main_language})
    form.set_choices(campaign)
    return _invitations_page(campaign, form)


@bp.post("/invitations")
@coordinators
def add_host(campaign_id: int):
    """Add one host to the campaign (not sent yet)."""
    campaign = own_campaign(campaign_id)
    form = AddHostForm()
    form.set_choices(campaign)
    if form.validate_on_submit():
        data = inv.HostData(
            name=form.name.data, email=form.email.data or None, phone=form.phone.data or None,
            language=form.language.data, place_id=form.place.data,
            target_group_id=form.target_group.data,
        )
        try:
            invitation = inv.add_host(campaign, data)
        except inv.DuplicateHost:
            db.session.rollback()
            field = form.email if form.email.data else form.phone
            field.errors = [_("This host is already on the campaign's list.")]
        except inv.NotInCampaign:
            db.session.rollback()
            form.place.errors = [_("Choose one of the places in the list.")]
        else:
            audit.record("invitation.add", invitation, campaign_id=campaign.id)
            db.session.commit()
            log.info("Host added to campaign %s (invitation %s)", campaign.id, invitation.id)
            flash(_("%(name)s is added. The invitation is not sent yet.",
                    name=invitation.host.name), "success")
            return _see_other(".invitations", campaign_id=campaign.id)
    return _invitations_page(campaign, form, 400 if form.is_submitted() else 200)


def _problem_text(problem: importer.RowProblem) -> str:
    messages = {
        "no_name": _("The name is missing."),
        "too_long": _("The name is too long."),
        "bad_email": _("“%(value)s” is not an e-mail address.", value=problem.value),
        "bad_phone": _("“%(value)s” is not a phone number.", value=problem.value),
        "no_contact": _("Give an e-mail address or a phone number."),
        "bad_language": _("“%(value)s” is not a language we know: use nb, nn or en.",
                          value=problem.value),
        "unknown_place": _("“%(value)s” is not one of the campaign's places.",
                           value=problem.value),
        "unknown_group": _("“%(value)s” is not one of the campaign's target groups.",
                           value=problem.value),
    }
    return messages.get(problem.code, _("This row could not be read."))


def _file_error_text(code: str) -> str:
    return {
        "too_large": _("The file is too large. Split the list into files under 100 KB."),
        "not_text": _("That is not a CSV file. Save the spreadsheet as CSV and try again."),
        "empty": _("The file is empty."),
    }.get(code, _("The file could not be read."))


def _uploaded_text(form: ImportForm) -> str | None:
    """The CSV text from the upload, or None (errors go on the form)."""
    upload = form.csv_file.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    name = upload.filename.lower()
    if not name.endswith((".csv", ".txt")):
        form.csv_file.errors = [_("Choose a file that ends in .csv.")]
        return None
    raw = upload.stream.read(importer.MAX_BYTES + 1)
    try:
        return importer.decode_upload(raw)
    except importer.ImportFileError as error:
        form.csv_file.errors = [_file_error_text(error.code)]
        return None


@bp.route("/invitations/import", methods=["GET", "POST"])
@coordinators
def import_hosts(campaign_id: int):
    """Import hosts from a CSV list: check first, then import the rows without problems."""
    campaign = own_campaign(campaign_id)
    form = ImportForm()
    parsed = None
    result = None
    if form.validate_on_submit():
        text = _uploaded_text(form)
        if text is not None:
            form.csv_text.data = text  # the list stays in the box, to fix and check again
        text = form.csv_text.data or ""
        if not form.csv_file.errors:
            if not text.strip():
                form.csv_text.errors = [_("Paste a list or choose a file.")]
            else:
                parsed = importer.parse(text, campaign)
        if parsed is not None and form.confirm.data and not parsed.missing_name_column:
            result = importer.import_rows(campaign, parsed)
            audit.record("invitation.import", campaign, added=result.added)
            db.session.commit()
            log.info("Imported %s hosts to campaign %s", result.added, campaign.id)
            if not result.bad:
                flash(_import_message(result), "success")
                return _see_other(".invitations", campaign_id=campaign.id)
            # Keep only the rows with problems in the box, so they can be fixed.
            form.csv_text.data = importer.rows_as_csv(result.bad)
            parsed = importer.parse(form.csv_text.data, campaign)
    return render_template(
        "coordination/import.html", campaign=campaign, form=form, parsed=parsed,
        result=result, result_message=_import_message(result) if result else None,
        problem_text=_problem_text, columns=importer.COLUMNS,
    ), (400 if form.errors else 200)


def _import_message(result: importer.ImportResult) -> str:
    parts = [ngettext("%(num)d host added.", "%(num)d hosts added.", result.added)]
    if result.duplicates:
        parts.append(ngettext("%(num)d already on the list, skipped.",
                              "%(num)d already on the list, skipped.", result.duplicates))
    if result.bad:
        parts.append(ngettext("%(num)d row has problems and was not imported: fix it below.",
                              "%(num)d rows have problems and were not imported: fix them below.",
                              len(result.bad)))
    return " ".join(parts)


@bp.post("/invitations/send")
@coordinators
def send(campaign_id: int):
    """E-mail the invitation to every host who has not been sent one."""
    campaign = own_campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        flash(_("The page was open for a long time, so nothing was sent. Please try again."),
              "warning")
        return _see_other(".invitations", campaign_id=campaign.id)
    result = inv.send_unsent(campaign)
    audit.record("invitation.send", campaign, queued=result.queued)
    db.session.commit()
    log.info("Invitations queued for campaign %s: %s", campaign.id, result.queued)
    message = ngettext("%(num)d invitation is on its way.", "%(num)d invitations are on their way.",
                       result.queued)
    if result.without_email:
        message += " " + ngettext(
            "%(num)d host has no e-mail address: print a letter instead.",
            "%(num)d hosts have no e-mail address: print letters instead.", result.without_email)
    flash(message, "success")
    return _see_other(".invitations", campaign_id=campaign.id)


# --- letters ---------------------------------------------------------------------------------


@bp.get("/invitations/<int:invitation_id>/letter")
@coordinators
def letter(campaign_id: int, invitation_id: int):
    """A printable A4 letter with the invitation text and a QR code of the personal link."""
    campaign = own_campaign(campaign_id)
    invitation = _invitation(campaign, invitation_id)
    built = letters.build_letter(campaign, invitation, date.today())
    db.session.commit()  # only a renewed link is saved (the server key changed)
    return render_template("coordination/letter.html", campaign=campaign,
                           invitation=invitation, letters=[built])


@bp.get("/invitations/letters")
@coordinators
def all_letters(campaign_id: int):
    """Every letter still to hand out (hosts without e-mail), one A4 page each."""
    campaign = own_campaign(campaign_id)
    built = [letters.build_letter(campaign, i, date.today())
             for i in letters.letters_to_print(campaign)]
    db.session.commit()
    return render_template("coordination/letter.html", campaign=campaign, invitation=None,
                           letters=built)


@bp.post("/invitations/<int:invitation_id>/letter-given")
@coordinators
def letter_given(campaign_id: int, invitation_id: int):
    """Record that the printed letter was handed over or posted."""
    campaign = own_campaign(campaign_id)
    invitation = _invitation(campaign, invitation_id)
    if ActionForm().validate_on_submit():
        inv.mark_letter_given(invitation)
        audit.record("invitation.letter", invitation)
        db.session.commit()
        flash(_("Marked as invited by letter."), "success")
    return _see_other(".invitations", campaign_id=campaign.id)


@bp.post("/invitations/letters-given")
@coordinators
def all_letters_given(campaign_id: int):
    """Record that every printed letter was handed over or posted."""
    campaign = own_campaign(campaign_id)
    if ActionForm().validate_on_submit():
        given = letters.letters_to_print(campaign)
        for invitation in given:
            inv.mark_letter_given(invitation)
            audit.record("invitation.letter", invitation)
        db.session.commit()
        flash(ngettext("%(num)d host marked as invited by letter.",
                       "%(num)d hosts marked as invited by letter.", len(given)), "success")
    return _see_other(".invitations", campaign_id=campaign.id)


# --- the funnel and contact ------------------------------------------------------------------


def _page_args(args) -> dict[str, int]:
    """The page of each "who is where" list, from ?page-<position>=N."""
    pages = {}
    for position in funnel_service.POSITIONS:
        value = args.get(f"page-{position}", type=int)
        if value and value > 1:
            pages[f"page-{position}"] = value
    return pages


def _funnel_page(campaign: Campaign, failed: tuple[int, ContactForm] | None = None,
                 pages: dict[str, int] | None = None):
    """The follow-up page. The lists come 50 hosts a page, and only the host being contacted
    (?contact=ID, or the one whose form had an error) gets a contact form: a page with a form
    per host grew to a megabyte with 500 hosts."""
    funnel = funnel_service.build(campaign, date.today())
    pages = dict(_page_args(request.args) if pages is None else pages)
    contact_id = failed[0] if failed else request.args.get("contact", type=int)
    shown_id = contact_id or request.args.get("host", type=int)
    lists = {}
    for position, rows in funnel.positions.items():
        number = pages.get(f"page-{position}")
        if shown_id:  # open the list at the page that shows the host asked for
            number = funnel_service.page_with(rows, shown_id) or number
        lists[position] = funnel_service.page_of(rows, number)
        if lists[position].page > 1:
            pages[f"page-{position}"] = lists[position].page
        else:
            pages.pop(f"page-{position}", None)
    form = None
    if contact_id is not None:
        form = failed[1] if failed else ContactForm(prefix=f"c{contact_id}", formdata=None)

    def page_url(position: str, number: int) -> str:
        args = {**pages, f"page-{position}": number}
        if number <= 1:
            del args[f"page-{position}"]
        return url_for(".funnel", campaign_id=campaign.id, **args) + f"#position-{position}"

    def contact_url(invitation_id: int | None = None) -> str:
        args = {**pages, "contact": invitation_id} if invitation_id else dict(pages)
        anchor = f"#host-{invitation_id}" if invitation_id else ""
        return url_for(".funnel", campaign_id=campaign.id, **args) + anchor

    return render_template(
        "coordination/funnel.html", campaign=campaign, funnel=funnel, stages=funnel_service.STAGES,
        lists=lists, contact_form=form, contact_id=contact_id, contact_labels=CONTACT_LABELS,
        failed_id=failed[0] if failed else None, page_url=page_url, contact_url=contact_url,
        pages=pages, remindable=REMINDABLE, action_form=ActionForm(),
    ), (400 if failed else 200)


@bp.get("/funnel")
@coordinators
def funnel(campaign_id: int):
    """Where every invitation stands: counts overall, per place and group, and who is stuck."""
    return _funnel_page(own_campaign(campaign_id))


@bp.post("/invitations/<int:invitation_id>/contact")
@coordinators
def contact(campaign_id: int, invitation_id: int):
    """Record a phone call or a meeting with a host."""
    campaign = own_campaign(campaign_id)
    invitation = _invitation(campaign, invitation_id)
    form = ContactForm(prefix=f"c{invitation.id}")
    if not form.validate_on_submit():
        return _funnel_page(campaign, failed=(invitation.id, form), pages=_page_args(request.args))
    entry = inv.log_contact(invitation, current_user, form.method.data, form.note.data)
    audit.record("invitation.contact", invitation, method=entry.method)
    db.session.commit()
    flash(_("The contact with %(name)s is saved.", name=invitation.host.name), "success")
    return redirect(url_for(".funnel", campaign_id=campaign.id, host=invitation.id)
                    + f"#host-{invitation.id}", 303)


# Lists of "who is where" whose hosts can be reminded of their next step.
REMINDABLE = ("waiting", "accepted", "not_closed")


def _remind_messages(result) -> list[tuple[str, str]]:
    out = []
    if result.queued:
        out.append(("success", ngettext("%(num)d reminder is on its way.",
                                        "%(num)d reminders are on their way.",
                                        len(result.queued))))
    texts = {
        "no_email": lambda n: ngettext(
            "%(num)d host has no e-mail address or has asked for no more e-mail: call them "
            "instead.",
            "%(num)d hosts have no e-mail address or have asked for no more e-mail: call them "
            "instead.", n),
        "recent": lambda n: ngettext(
            "%(num)d host was reminded or contacted less than a day ago and got nothing now.",
            "%(num)d hosts were reminded or contacted less than a day ago and got nothing now.",
            n),
        "closed": lambda n: ngettext(
            "%(num)d host got nothing: the campaign no longer takes that step.",
            "%(num)d hosts got nothing: the campaign no longer takes that step.", n),
        "nothing": lambda n: ngettext(
            "%(num)d host has nothing to be reminded of.",
            "%(num)d hosts have nothing to be reminded of.", n),
    }
    for reason, count in result.skipped.items():
        out.append(("warning" if result.queued else "info", texts[reason](count)))
    return out


@bp.post("/funnel/remind")
@coordinators
def remind_now(campaign_id: int):
    """Send a reminder at once: to one host, or to everyone in one list of the funnel."""
    campaign = own_campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    invitation_id = request.form.get("invitation", type=int)
    position = request.form.get("position", "")
    if invitation_id:
        invitations = [_invitation(campaign, invitation_id)]
        anchor = f"#host-{invitation_id}"
    elif position in REMINDABLE:
        rows = funnel_service.build(campaign, date.today()).positions[position]
        invitations = [row.invitation for row in rows]
        anchor = f"#position-{position}"
    else:
        abort(400)
    result = reminders.remind_now(invitations)
    audit.record("reminders.now", campaign, queued=len(result.queued),
                 skipped=sum(result.skipped.values()), position=position or None,
                 invitation=invitation_id)
    db.session.commit()
    for category, message in _remind_messages(result):
        flash(message, category)
    args = {"host": invitation_id} if invitation_id else {}
    return redirect(url_for(".funnel", campaign_id=campaign.id, **args, **_page_args(request.args))
                    + anchor, 303)


# --- texts and reminder settings -------------------------------------------------------------


@bp.route("/invitations/text", methods=["GET", "POST"])
@coordinators
def text(campaign_id: int):
    """Edit the invitation text in each language; an emptied box goes back to the default."""
    campaign = own_campaign(campaign_id)
    settings = inv.settings_for(campaign)
    if request.method == "POST":
        form = InvitationTextForm()
    else:
        form = InvitationTextForm(data={
            **{f"text_{lang}": invitation_texts.invitation_text(campaign, settings, lang)
               for lang in ("nb", "nn", "en")},
            **{name: getattr(settings, name) for name in inv.CONTACT_FIELDS},
        })
    if form.validate_on_submit():
        inv.save_texts(campaign, {lang: form[f"text_{lang}"].data for lang in ("nb", "nn", "en")})
        inv.save_contact(campaign, **{name: form[name].data for name in inv.CONTACT_FIELDS})
        audit.record("invitation.text", campaign)
        db.session.commit()
        flash(_("The invitation texts are saved."), "success")
        return _see_other(".text", campaign_id=campaign.id)
    return render_template("coordination/text.html", campaign=campaign, form=form,
                           own=set((settings.texts or {}).keys())), (400 if form.errors else 200)


@bp.route("/reminders", methods=["GET", "POST"])
@coordinators
def reminder_settings(campaign_id: int):
    """Turn automatic reminders on or off and choose how often and how many."""
    campaign = own_campaign(campaign_id)
    settings = inv.settings_for(campaign)
    if request.method == "POST":
        form = ReminderSettingsForm()
    else:
        form = ReminderSettingsForm(data={
            "enabled": settings.reminders_enabled, "after_days": settings.reminder_after_days,
            "max_reminders": settings.max_reminders,
        })
    if form.validate_on_submit():
        inv.save_reminder_settings(campaign, enabled=form.enabled.data,
                                   after_days=form.after_days.data,
                                   max_reminders=form.max_reminders.data)
        audit.record("reminders.settings", campaign, enabled=form.enabled.data,
                after_days=form.after_days.data, max_reminders=form.max_reminders.data)
        db.session.commit()
        flash(_("The reminder settings are saved."), "success")
        return _see_other(".reminder_settings", campaign_id=campaign.id)
    return render_template("coordination/reminders.html", campaign=campaign, form=form), (
        400 if form.errors else 200)

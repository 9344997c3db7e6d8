"""The report editor (step 4 → 5): texts, preview, draft PDF, publish and unpublish.

Analysts and admins edit and publish; coordinators may look at the draft preview and PDF.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can
from ..extensions import db
from ..forms.analyst import ActionForm
from ..forms.report import report_form, texts_from
from ..models import Campaign
from ..services import analysis_runs, audit, reports
from . import own_campaign, png_response
from .reports import render_report_page, render_report_pdf

bp = Blueprint("analyst_report", __name__, url_prefix="/analyst")
log = logging.getLogger(__name__)


def _draft_language(campaign: Campaign) -> str:
    """The preview's language: ?language= if the report has it, else the campaign's main one."""
    available = reports.languages(campaign)
    asked = request.args.get("language")
    if asked in available:
        return asked
    return campaign.main_language if campaign.main_language in available else available[0]


def _editor(campaign: Campaign, form, status: int = 200):
    report = reports.report_for(campaign)
    languages = reports.languages(campaign)
    published = bool(report and report.published_at)
    return render_template(
        "analyst_report/edit.html", campaign=campaign, form=form, languages=languages,
        report=report, published=published,
        changed=published and reports.changed_since_published(campaign),
        has_analysis=analysis_runs.latest_done_run(campaign) is not None,
        public_url=reports.public_report_url(campaign), action_form=ActionForm(),
    ), status


@bp.route("/campaigns/<int:id>/report", methods=["GET", "POST"])
def edit(id: int):
    campaign = own_campaign(id)
    languages = reports.languages(campaign)
    if request.method == "GET":
        return _editor(campaign, report_form(campaign, languages,
                                             texts=reports.texts_of(campaign)))
    form = report_form(campaign, languages, formdata=request.form)
    if not form.validate():
        return _editor(campaign, form, status=400)
    publish = request.form.get("action") == "publish"
    if publish and analysis_runs.latest_done_run(campaign) is None:
        flash(_("Run the analysis before you publish the report. Your texts are saved."),
              "warning")
        publish = False
    reports.save_texts(campaign, texts_from(form, campaign, languages))
    if publish:
        reports.publish(campaign, current_user)
        audit.record("report.published", campaign)
        db.session.commit()
        log.info("Report of campaign %s published by user %s", campaign.id, current_user.id)
        flash(_("The report is published. Everyone with the link can read it."), "success")
    else:
        db.session.commit()
        flash(_("The draft is saved. The public report changes only when you publish."),
              "success")
    return redirect(url_for(".edit", id=campaign.id), 303)


@bp.post("/campaigns/<int:id>/report/unpublish")
def unpublish(id: int):
    campaign = own_campaign(id)
    if ActionForm().validate_on_submit():
        if reports.unpublish(campaign) is not None:
            audit.record("report.unpublished", campaign)
        db.session.commit()
        log.info("Report of campaign %s unpublished by user %s", campaign.id, current_user.id)
        flash(_("The report is no longer public. The draft and your texts are kept."),
              "success")
    else:
        flash(_("The page was open for a long time. Please try again."), "warning")
    return redirect(url_for(".edit", id=campaign.id), 303)


@bp.get("/campaigns/<int:id>/report/preview")
def preview(id: int):
    campaign = own_campaign(id)
    lang = _draft_language(campaign)
    data = reports.build(campaign, lang)
    db.session.commit()  # word clouds drawn for the preview stay cached
    languages = reports.languages(campaign)
    return render_report_page(
        campaign, data,
        image_url=lambda scope: url_for(".draft_image", id=campaign.id, scope=scope),
        language_links=[(code, url_for(".preview", id=campaign.id, language=code))
                        for code in languages],
        pdf_links=[(code, url_for(".draft_pdf", id=campaign.id, lang=code))
                   for code in languages],
        draft=True, editor_url=url_for(".edit", id=campaign.id)
        if can("analyst_report.edit") else None,
    )


@bp.get("/campaigns/<int:id>/report/images/<scope>.png")
def draft_image(id: int, scope: str):
    campaign = own_campaign(id)
    png = reports.draft_image(campaign, scope)
    if png is None:
        abort(404)
    db.session.commit()
    return png_response(png, "private, max-age=60")


@bp.get("/campaigns/<int:id>/report/draft-<lang>.pdf")
def draft_pdf(id: int, lang: str):
    campaign = own_campaign(id)
    if lang not in reports.languages(campaign):
        abort(404)
    data = reports.build(campaign, lang)
    body = render_report_pdf(campaign, data, lambda scope: reports.draft_image(campaign, scope),
                             draft=True)
    db.session.commit()
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="draft-{campaign.slug}-{lang}.pdf"'})

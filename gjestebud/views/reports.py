"""The public report of a campaign: a page, a PDF, the figures and the word clouds. No login.

Only a published report is shown (404 before); it is made from the frozen copy, so edits to
the analysis or the texts reach the public only when the analyst publishes again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale

from ..extensions import limiter
from ..i18n import current_language
from ..models import LANGUAGES, Campaign
from ..services import report_figures, report_pdf, report_texts, reports
from ..services.campaigns import campaign_by_slug
from ..services.report_data import ReportData
from ..services.spreadsheets import XLSX_MIMETYPE, wants_excel
from . import download, png_response

bp = Blueprint("reports", __name__, url_prefix="/reports")
log = logging.getLogger(__name__)


@bp.app_template_filter("share")
def _share(value: float) -> str:
    return report_texts.share_text(value)


def _published(slug: str) -> Campaign:
    campaign = campaign_by_slug(slug)
    if campaign is None or not reports.is_published(campaign):
        abort(404)
    return campaign


def _language(campaign: Campaign, asked: str | None, available: list[str]) -> str:
    """The language to show: the one asked for if the report has it, else the main one."""
    for code in (asked, campaign.main_language, *available):
        if code in available:
            return code
    return campaign.main_language


def render_report_page(campaign: Campaign, data: ReportData, *, image_url: Callable[[str], str],
                       language_links: list[tuple[str, str]], pdf_links: list[tuple[str, str]],
                       figure_links: tuple[str, str, str] | None = None, published_at=None,
                       draft: bool = False, editor_url: str | None = None):
    """The report page in the report's language (shared by the public page and the preview)."""
    with force_locale(data.lang):
        return render_template(
            "reports/show.html", campaign=campaign, data=data, image_url=image_url,
            language_links=language_links, pdf_links=pdf_links, figure_links=figure_links,
            published_at=published_at, updates=reports.updates(campaign, data.lang),
            draft=draft, editor_url=editor_url,
        )


def render_report_pdf(campaign: Campaign, data: ReportData,
                      images: Callable[[str], bytes | None], *, draft: bool = False) -> bytes:
    """The report as an A4 PDF; images come from `images(scope)`, nothing from the network."""
    started = time.monotonic()
    with force_locale(data.lang):
        html = render_template(
            "reports/pdf.html", campaign=campaign, data=data, draft=draft,
            image_url=lambda scope: url_for("reports.image", slug=campaign.slug, scope=scope),
            updates=reports.updates(campaign, data.lang),
        )
    static_url = current_app.static_url_path.rstrip("/") + "/"
    pdf = report_pdf.render_pdf(
        html, base_url=request.host_url, static_root=current_app.static_folder,
        static_prefix=static_url, image_prefix=url_for("reports.image", slug=campaign.slug,
                                                      scope="x").removesuffix("x.png"),
        images=images,
    )
    log.info("Report PDF of campaign %s rendered in %.1f s (%d bytes)", campaign.id,
             time.monotonic() - started, len(pdf))
    return pdf


@bp.get("/<slug>")
def show(slug: str):
    campaign = _published(slug)
    available = reports.published_languages(campaign)
    lang = _language(campaign, request.args.get("lang") or current_language(), available)
    data = reports.published_data(campaign, lang)
    return render_report_page(
        campaign, data,
        image_url=lambda scope: url_for(".image", slug=slug, scope=scope),
        language_links=[(code, url_for(".show", slug=slug, lang=code)) for code in available],
        pdf_links=[(code, url_for(".pdf", slug=slug, lang=code)) for code in available],
        figure_links=(url_for(".figures_csv", slug=slug, lang=data.lang),
                      url_for(".figures_xlsx", slug=slug, lang=data.lang),
                      url_for(".figures_csv", slug=slug, lang=data.lang, **{"for": "excel"})),
        published_at=reports.report_for(campaign).published_at,
    )


@bp.get("/<slug>/report-<lang>.pdf")
@limiter.limit("20 per minute")
def pdf(slug: str, lang: str):
    campaign = _published(slug)
    if lang not in LANGUAGES or lang not in reports.published_languages(campaign):
        abort(404)
    published_at = reports.report_for(campaign).published_at
    data = reports.published_data(campaign, lang)
    # Whatever can change after publishing is in the key: updates, and quotes hidden since.
    key = (slug, campaign.id, published_at.isoformat(), lang,
           hash(repr(reports.updates(campaign, lang))),
           tuple(q.note_id for t in data.themes for q in t.quotes))
    body = report_pdf.cached(key, lambda: render_report_pdf(
        campaign, data, lambda scope: reports.published_image(campaign, scope)))
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{slug}-{lang}.pdf"'
    return response


def _figures_data(campaign: Campaign) -> ReportData:
    available = reports.published_languages(campaign)
    return reports.published_data(campaign, _language(campaign, request.args.get("lang"),
                                                      available))


@bp.get("/<slug>/figures.csv")
def figures_csv(slug: str):
    campaign = _published(slug)
    excel = wants_excel(request.args)
    return download(report_figures.figures_csv(_figures_data(campaign), excel=excel),
                    "text/csv", f"figures-{slug}{'-excel' if excel else ''}.csv")


@bp.get("/<slug>/figures.xlsx")
def figures_xlsx(slug: str):
    campaign = _published(slug)
    return download(report_figures.figures_xlsx(_figures_data(campaign)), XLSX_MIMETYPE,
                     f"figures-{slug}.xlsx")


@bp.get("/<slug>/images/<scope>.png")
def image(slug: str, scope: str):
    campaign = _published(slug)
    png = reports.published_image(campaign, scope)
    if png is None:
        abort(404)
    return png_response(png, "public, max-age=300")

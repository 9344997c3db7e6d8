"""The campaign report: figures from the analysis, the analyst's texts, publishing, the public
page, the PDF and the figures files, and who may do what."""

from __future__ import annotations

import csv
import io
import subprocess
import time
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageStat
from pypdf import PdfReader

from gjestebud.extensions import db
from gjestebud.models import FeedbackMessage, Theme, utcnow
from gjestebud.services import report_pdf, reports
from gjestebud.services import themes as theme_service
from tests.account_helpers import login
from tests.conftest import csrf_token, html, make_campaign, make_org, make_user
from tests.report_data import HIDDEN_NOTE, PHONE_NOTE, seed_report_campaign, theme_id


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def ids(campaign):
    return seed_report_campaign(campaign)


@pytest.fixture
def editor(client, analyst):
    assert login(client, analyst.email).status_code == 303
    return client


def editor_form(client, campaign, **changes):
    """The editor's fields as the page has them, with `changes` typed in."""
    page = client.get(f"/analyst/campaigns/{campaign.id}/report")
    assert page.status_code == 200
    form = html(page).select_one("form.report-form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    data.update({t["name"]: t.get_text() for t in form.find_all("textarea")})
    data.update(changes)
    return data


def save(client, campaign, action="save", **changes):
    data = editor_form(client, campaign, **changes)
    data["action"] = action
    return client.post(f"/analyst/campaigns/{campaign.id}/report", data=data)


def publish(app, campaign, user=None):
    with app.test_request_context():
        reports.publish(campaign, user)
    db.session.commit()


def public_page(client, campaign, lang="nb"):
    response = client.get(f"/reports/{campaign.slug}?lang={lang}")
    assert response.status_code == 200
    return html(response)


# --- the figures, from a small analysis counted by hand -------------------------------------

def test_the_report_counts_meals_notes_and_themes_as_the_analysis_has_them(app, campaign, ids):
    with app.test_request_context():
        data = reports.build(campaign, "nb")

    c = data.counts
    assert (c.meals_registered, c.meals_held, c.places, c.target_groups) == (3, 3, 3, 3)
    assert (c.notes, c.analysed_notes) == (12, 12)  # the hidden note never counts
    assert [(t.label, t.count, t.share) for t in data.themes] == [
        ("gaming og e-sport", 4, 0.3333), ("bøker", 3, 0.25), ("natur og turstier", 3, 0.25)]
    per_question = {q.code: (q.n_notes, [(t.label, t.count, t.share) for t in q.themes])
                    for q in data.questions}
    assert per_question == {
        "q1": (4, [("natur og turstier", 3, 0.75)]),
        "q2": (3, [("bøker", 3, 1.0)]),
        "q3": (5, [("gaming og e-sport", 4, 0.8)]),
    }
    assert data.questions[0].text == "Hva liker du best i ditt nærmiljø?"


def test_what_stood_out_is_said_in_words_with_numbers_for_the_language(app, campaign, ids):
    with app.test_request_context():
        nb = reports.build(campaign, "nb")
        en = reports.build(campaign, "en")

    assert {g.name: g.sentences for g in nb.places} == {
        "Askim": ["Natur og turstier: 2,8× vanligere i Askim enn andre steder"],
        "Svelvik": ["Gaming og e-sport: 3,0× vanligere i Svelvik enn andre steder"],
    }
    # Mysen's theme was not distinctive; språkkafé's rests on two notes only: both left out.
    assert [g.name for g in nb.target_groups] == ["barn og unge", "pensjonister"]
    assert en.places[1].sentences == ["Gaming og e-sport: 3.0× more common in Svelvik than "
                                      "elsewhere"]


def test_only_meals_that_took_place_count_as_held(app, org):
    campaign = make_campaign(org)
    db.session.commit()
    seed_report_campaign(campaign, hold=False)
    with app.test_request_context():
        counts = reports.build(campaign, "nb").counts
    assert (counts.meals_registered, counts.meals_held) == (3, 3)  # all three have notes


def test_quotes_are_masked_and_the_analysts_pins_come_first(app, campaign, ids):
    nature = db.session.get(Theme, theme_id("nature"))
    note = theme_service.notes_in_campaign(campaign, [ids["Fine turstier langs elva"]])[0]
    theme_service.set_quote_pin(campaign, nature, note, True)
    db.session.commit()
    with app.test_request_context():
        data = reports.build(campaign, "nb")

    quotes = [q.text for q in next(t for t in data.themes if t.theme_id == nature.id).quotes]
    assert quotes[0] == "Fine turstier langs elva"
    assert "Turstien i skogen, ring meg på [telefon]" in quotes
    assert "912 34 567" not in str(data.to_json())
    assert PHONE_NOTE not in str(data.to_json())


def test_hidden_notes_never_appear_in_the_report(app, client, campaign, ids):
    quoted = "Gamingrom med PC-er"
    theme_service.hide_notes(campaign, [ids[quoted]])
    db.session.commit()
    publish(app, campaign)

    page = public_page(client, campaign)
    body = text(page)
    assert quoted not in body and HIDDEN_NOTE not in body
    assert "3 lapper, 27 % av alle lappene" in body  # gaming: 4 of 12 notes before, 3 of 11 now
    csv_text = client.get(f"/reports/{campaign.slug}/figures.csv").get_data(as_text=True)
    assert "all,,,gaming og e-sport,3,11,27.3" in csv_text


def test_a_quote_hidden_after_publishing_leaves_the_public_page_at_once(app, client, campaign,
                                                                         ids):
    publish(app, campaign)
    quoted = "Skogen rett ved huset"
    assert quoted in text(public_page(client, campaign))
    assert client.get(f"/reports/{campaign.slug}/report-nb.pdf").status_code == 200
    theme_service.hide_notes(campaign, [ids[quoted]])
    db.session.commit()
    assert quoted not in text(public_page(client, campaign))
    content = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(f"/reports/{campaign.slug}/report-nb.pdf").data)).pages)
    assert "Skogen rett" not in content and "Fine turstier langs elva" in content


# --- the analyst's texts, in the right language -------------------------------------------------

def test_analyst_texts_are_shown_in_their_language_with_a_fallback(app, editor, campaign, ids):
    q3 = campaign.questions[2]
    response = save(editor, campaign, intro_nb="Takk til alle som var med.",
                    intro_en="Thank you to everyone who took part.",
                    **{f"question_{q3.id}_nb": "Ungdommen vil ha et sted for gaming."})
    assert response.status_code == 303
    with app.test_request_context():
        nb, en = reports.build(campaign, "nb"), reports.build(campaign, "en")

    assert (nb.intro.text, nb.intro.lang) == ("Takk til alle som var med.", "nb")
    assert (en.intro.text, en.intro.lang) == ("Thank you to everyone who took part.", "en")
    # No English summary: the Norwegian one is shown, marked as Norwegian.
    assert (en.questions[2].summary.text, en.questions[2].summary.lang) == (
        "Ungdommen vil ha et sted for gaming.", "nb")
    # The closing starts as the campaign's "how the results will be used".
    assert nb.closing.text == "Svarene brukes når vi planlegger bibliotekene."

    publish(app, campaign)
    page = public_page(editor, campaign, "en")
    summary = page.select_one("#question-q3").find_parent("section").select_one(".report-text")
    assert summary["lang"] == "nb"
    assert "Thank you to everyone who took part." in text(page.select_one(".report-intro"))


def test_a_nynorsk_report_exists_when_the_campaign_has_nynorsk(app, client, campaign, ids):
    campaign.titles = {**campaign.titles, "nn": "Nærmiljø 2026 (nynorsk)"}
    campaign.questions[0].texts = {**campaign.questions[0].texts, "nn": "Kva likar du best?"}
    db.session.commit()
    assert reports.languages(campaign) == ["nb", "nn", "en"]
    publish(app, campaign)

    page = public_page(client, campaign, "nn")
    assert page.html["lang"] == "nn"
    assert text(page.h1) == "Nærmiljø 2026 (nynorsk)"
    assert "Kva likar du best?" in text(page.select_one("#question-q1"))
    switch = page.select(".language-switch a, .language-switch [aria-current]")
    assert [e["lang"] for e in switch] == ["nb", "nn", "en"]
    assert client.get(f"/reports/{campaign.slug}/report-nn.pdf").status_code == 200


def test_a_report_without_nynorsk_falls_back_to_its_main_language(app, client, campaign, ids):
    publish(app, campaign)
    page = public_page(client, campaign, "nn")
    assert page.html["lang"] == "nb"
    assert [a["lang"] for a in page.select(".language-switch a")] == ["en"]
    assert client.get(f"/reports/{campaign.slug}/report-nn.pdf").status_code == 404


# --- publishing -----------------------------------------------------------------------------

def test_nothing_is_public_until_the_report_is_published(app, client, campaign, ids):
    paths = ["", "/report-nb.pdf", "/figures.csv", "/figures.xlsx", "/images/overall.png"]
    for path in paths:
        assert client.get(f"/reports/{campaign.slug}{path}").status_code == 404
    assert reports.public_report_url(campaign) is None

    publish(app, campaign)
    assert client.get(f"/reports/{campaign.slug}").status_code == 200
    assert client.get(f"/reports/{campaign.slug}/images/overall.png").mimetype == "image/png"
    assert client.get(f"/reports/{campaign.slug}/images/nothing.png").status_code == 404
    with app.test_request_context():
        assert reports.public_report_url(campaign) == f"http://localhost/reports/{campaign.slug}"

    reports.unpublish(campaign)
    db.session.commit()
    for path in paths:
        assert client.get(f"/reports/{campaign.slug}{path}").status_code == 404
    assert client.get("/reports/no-such-campaign").status_code == 404


def test_the_public_page_changes_only_when_the_analyst_publishes_again(app, editor, campaign,
                                                                       ids):
    assert save(editor, campaign, "publish", intro_nb="Første versjon.").status_code == 303
    assert "Første versjon." in text(public_page(editor, campaign))
    status = html(editor.get(f"/analyst/campaigns/{campaign.id}/report?lang=en"))
    assert "The public report is the same as the draft." in text(status.find(id="publish-status"))

    save(editor, campaign, intro_nb="Andre versjon.")
    gaming = db.session.get(Theme, theme_id("gaming"))
    theme_service.rename(campaign, gaming, "dataspill")
    db.session.commit()
    page = text(public_page(editor, campaign))
    assert "Første versjon." in page and "Andre versjon." not in page
    assert "Gaming og e-sport" in page and "Dataspill" not in page
    status = html(editor.get(f"/analyst/campaigns/{campaign.id}/report?lang=en"))
    assert "publish again" in text(status.find(id="publish-status"))

    assert save(editor, campaign, "publish").status_code == 303
    page = text(public_page(editor, campaign))
    assert "Andre versjon." in page and "Dataspill" in page and "Første versjon." not in page


def test_publishing_needs_an_analysis_but_keeps_the_texts(app, org, editor):
    campaign = make_campaign(org, title="Uten analyse")
    db.session.commit()
    response = save(editor, campaign, "publish", intro_nb="Kommer snart.")
    assert response.status_code == 303
    page = html(editor.get(response.headers["Location"]))
    assert "Run the analysis before you publish" in text(page.select_one(".flashes"))
    assert reports.texts_of(campaign).intro == {"nb": "Kommer snart."}
    assert not reports.is_published(campaign)


def test_bad_input_in_the_editor_is_explained_and_the_text_kept(editor, campaign, ids):
    long_text = "x" * 6001
    response = save(editor, campaign, themes_shown="0", intro_en=long_text)
    assert response.status_code == 400
    page = html(response)
    summary = text(page.select_one(".error-summary"))
    assert "Enter a number from 1 to 20." in summary
    assert "at most 6000 characters" in summary
    assert page.find("textarea", attrs={"name": "intro_en"}).get_text().strip() == long_text
    assert reports.report_for(campaign) is None


def test_fewer_main_themes_when_the_analyst_asks(app, editor, campaign, ids):
    save(editor, campaign, themes_shown="2")
    with app.test_request_context():
        assert len(reports.build(campaign, "nb").themes) == 2


def test_unpublish_takes_the_page_down_and_keeps_the_draft(app, editor, campaign, ids):
    save(editor, campaign, "publish", intro_nb="Hei.")
    page = editor.get(f"/analyst/campaigns/{campaign.id}/report")
    response = editor.post(f"/analyst/campaigns/{campaign.id}/report/unpublish",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert editor.get(f"/reports/{campaign.slug}").status_code == 404
    assert reports.texts_of(campaign).intro == {"nb": "Hei."}


# --- the page, the updates, and what other parts read -----------------------------------------

def test_the_public_page_has_every_part_of_the_report(app, client, campaign, ids):
    publish(app, campaign)
    page = public_page(client, campaign, "en")
    assert text(page.h1) == "Neighbourhood 2026"
    headings = [text(h) for h in page.select("h2")]
    for heading in ("Key figures", "What we asked, and what we heard", "Main themes",
                    "What stood out where", "The words used most",
                    "How the results will be used", "Download"):
        assert heading in headings
    figures = [text(li) for li in page.select(".key-figures li")]
    assert figures == ["3 gjestebuds held", "3 places", "3 target groups", "12 notes"]
    assert "Turstien i skogen, ring meg på [telefon]" in [
        text(q.p) for q in page.select("blockquote")]
    # Quotes are in the language they were written in, and say so (WCAG 3.1.2).
    assert {q.get("lang") for q in page.select("blockquote")} == {"nb"}
    assert {q.get("lang") for q in public_page(client, campaign, "nb").select("blockquote")} \
        == {None}
    cloud = page.select_one(".report-cloud img")
    assert cloud["alt"].startswith("Word cloud. The most used words: gaming, bok")
    assert "gaming (3)" in text(page.select_one(".report-cloud .top-words"))
    links = {a["href"] for a in page.select(".report-downloads a")}
    assert {f"/reports/{campaign.slug}/report-nb.pdf", f"/reports/{campaign.slug}/report-en.pdf",
            f"/reports/{campaign.slug}/figures.csv?lang=en"} <= links
    assert page.find(style=True) is None and page.find("script") is None


def test_published_updates_are_listed_newest_first_with_their_themes(app, client, campaign, ids):
    publish(app, campaign)
    now = utcnow()
    db.session.add_all([
        FeedbackMessage(campaign_id=campaign.id, kind="update", subjects={"nb": "Første"},
                        bodies={"nb": "Vi har åpnet et gamingrom."},
                        theme_ids=[theme_id("gaming"), 99999], published_at=now - timedelta(1)),
        FeedbackMessage(campaign_id=campaign.id, kind="update", subjects={"nb": "Andre"},
                        bodies={"nb": "Nye turstier er merket."}, published_at=now),
        FeedbackMessage(campaign_id=campaign.id, kind="update", subjects={"nb": "Utkast"},
                        bodies={"nb": "Ikke publisert ennå."}),
        FeedbackMessage(campaign_id=campaign.id, kind="results", subjects={"nb": "Resultater"},
                        bodies={"nb": "Takk!"}, published_at=now),
    ])
    db.session.commit()
    page = public_page(client, campaign, "en")
    updates = page.select(".report-update")
    assert [text(u.h3) for u in updates] == ["Andre", "Første"]
    assert updates[0].h3["lang"] == "nb"
    assert "Vi har åpnet et gamingrom." in text(updates[1])
    assert "About: gaming og e-sport" in text(updates[1])


def test_the_results_summary_for_e_mails_prefers_the_published_report(app, org, campaign):
    empty = make_campaign(org, title="Tom")
    db.session.commit()
    with app.test_request_context():
        assert reports.results_summary(empty, "nb") == ""
    seed_report_campaign(campaign)
    with app.test_request_context():
        summary = reports.results_summary(campaign, "en")
    assert "What do you dream of having in your neighbourhood?\n5 notes\n" \
        "- Gaming og e-sport: 4 notes (80%)" in summary

    publish(app, campaign)
    theme_service.rename(campaign, db.session.get(Theme, theme_id("gaming")), "dataspill")
    db.session.commit()
    with app.test_request_context():
        summary = reports.results_summary(campaign, "nb")
    assert "Gaming og e-sport" in summary and "ataspill" not in summary


def test_the_guest_link_of_a_reported_campaign_points_to_the_report(app, client, campaign, ids):
    meal = next(m for m in campaign.meals if m.place.name == "Svelvik")
    campaign.status = "reported"
    db.session.commit()
    page = html(client.get(f"/m/{meal.public_token}?lang=nb"))
    assert page.select_one(".place-findings") is None
    assert page.select_one(".top-themes") is None
    assert "/reports/" not in str(page)

    publish(app, campaign)
    page = html(client.get(f"/m/{meal.public_token}?lang=nb"))
    link = page.find("a", href=lambda h: h and "/reports/" in h)
    assert link["href"] == f"http://localhost/reports/{campaign.slug}?lang=nb"
    assert [text(li) for li in page.select(".place-findings li")] == [
        "Gaming og e-sport: 3,0× vanligere i Svelvik enn andre steder"]
    # With no summary written by staff, "what we heard" lists the report's main themes.
    top = [text(li) for li in page.select(".top-themes li")]
    assert top[0] == "Gaming og e-sport (4 lapper)" and len(top) <= 5


# --- PDF, CSV and XLSX ------------------------------------------------------------------------

def test_the_pdf_has_the_report_on_real_pages(app, client, campaign, ids, tmp_path):
    publish(app, campaign)
    started = time.monotonic()
    response = client.get(f"/reports/{campaign.slug}/report-en.pdf")
    seconds = time.monotonic() - started
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    content = "\n".join(p.extract_text() for p in reader.pages)
    for heading in ("Neighbourhood 2026", "Key figures", "Main themes", "What stood out where",
                    "The words used most", "How the results will be used"):
        assert heading in content
    assert "[telefon]" in content and "912 34 567" not in content
    assert f"2 / {len(reader.pages)}" in content  # page numbers from the print stylesheet

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader.pages) >= 2
    for path in pages:
        with Image.open(path) as image:
            assert image.width < image.height  # A4 portrait
            assert ImageStat.Stat(image.convert("L")).var[0] > 50, f"{path.name} looks blank"
    print(f"PDF: {len(reader.pages)} pages, {len(response.data)} bytes, {seconds:.1f} s")


def test_the_pdf_renderer_fetches_only_our_own_files(app):
    fetcher = report_pdf.own_files_fetcher(app.static_folder, "/static/", "/reports/x/images/",
                                           lambda scope: b"png" if scope == "overall" else None)
    own = fetcher.fetch("http://localhost/static/css/report-pdf.css")
    assert b"@page" in own.read()
    own.close()
    assert fetcher.fetch("http://localhost/reports/x/images/overall.png").read() == b"png"
    for url in ("https://example.com/tracker.png", "http://localhost/static/../pyproject.toml",
                "http://localhost/static/%2e%2e/pyproject.toml", "file:///etc/passwd",
                "data:image/png;base64,AAAA", "http://localhost/reports/x/images/other.png",
                "http://localhost/other/page"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_figures_as_csv_and_xlsx_are_safe_in_a_spreadsheet(app, client, campaign, ids):
    theme_service.rename(campaign, db.session.get(Theme, theme_id("books")),
                         "=HYPERLINK(\"http://x\")")
    db.session.commit()
    publish(app, campaign)

    response = client.get(f"/reports/{campaign.slug}/figures.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    gaming = [(r["dimension"], r["group"], r["notes"], r["notes_in_group"], r["share_percent"])
              for r in rows if r["theme"] == "gaming og e-sport"]
    assert gaming == [("all", "", "4", "12", "33.3"), ("question", "q3", "4", "5", "80.0"),
                      ("place", "Svelvik", "4", "4", "100.0"),
                      ("target_group", "barn og unge", "4", "4", "100.0")]
    q3 = next(r for r in rows if r["group"] == "q3")
    assert q3["group_text"] == "Hva drømmer du om at finnes i ditt nærmiljø?"
    excel = client.get(f"/reports/{campaign.slug}/figures.csv?for=excel").get_data(as_text=True)
    assert excel.startswith("\ufeff")
    assert list(csv.DictReader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";")) == rows
    assert {r["theme"] for r in rows if "HYPERLINK" in r["theme"]} == {
        "'=HYPERLINK(\"http://x\")"}

    book = load_workbook(io.BytesIO(client.get(f"/reports/{campaign.slug}/figures.xlsx").data))
    assert book.sheetnames == ["figures", "question", "place", "target_group"]
    places = [list(r) for r in book["place"].iter_rows(values_only=True)]
    assert places[0] == ["theme", "Askim", "Mysen", "Svelvik"]
    assert ["gaming og e-sport", 0, 0, 4] in places
    assert ["'=HYPERLINK(\"http://x\")", 0, 3, 0] in places


# --- who may do what ------------------------------------------------------------------------

def test_coordinators_may_look_at_the_draft_but_not_edit_or_publish(app, org, client, campaign,
                                                                     ids):
    make_user(org, email="koordinator@example.no", role="coordinator")
    db.session.commit()
    assert login(client, "koordinator@example.no").status_code == 303
    base = f"/analyst/campaigns/{campaign.id}/report"
    assert client.get(base).status_code == 403
    assert client.post(base, data={"action": "publish"}).status_code == 403
    assert client.post(f"{base}/unpublish").status_code == 403
    preview = client.get(f"{base}/preview?language=en")
    assert preview.status_code == 200
    page = html(preview)
    assert "Draft preview." in text(page.select_one(".draft-banner"))
    assert page.select_one(".draft-banner a") is None  # no link to an editor they cannot use
    assert client.get(f"{base}/images/overall.png").mimetype == "image/png"
    assert not reports.is_published(campaign)


def test_the_analyst_can_check_a_draft_pdf(app, editor, campaign, ids):
    response = editor.get(f"/analyst/campaigns/{campaign.id}/report/draft-nb.pdf")
    assert response.status_code == 200
    content = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Nærmiljø 2026" in content
    assert editor.get(f"/analyst/campaigns/{campaign.id}/report/draft-xx.pdf").status_code == 404


def test_another_organisations_report_is_not_found(app, client, campaign, ids):
    other = make_org("Drammen kommune", "drammen")
    make_user(other, email="analytiker@drammen.no", role="analyst")
    db.session.commit()
    assert login(client, "analytiker@drammen.no").status_code == 303
    base = f"/analyst/campaigns/{campaign.id}/report"
    for path in ("", "/preview", "/images/overall.png", "/draft-nb.pdf"):
        assert client.get(base + path).status_code == 404
    page = client.get("/analyst/?lang=en")
    response = client.post(f"{base}/unpublish", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404


def test_the_workspace_links_to_the_report(editor, campaign, ids):
    page = html(editor.get(f"/analyst/campaigns/{campaign.id}"))
    assert page.find("a", href=f"/analyst/campaigns/{campaign.id}/report") is not None


def test_publishing_and_reading_the_report_on_postgresql(pg_app):
    org = make_org()
    campaign = make_campaign(org)
    db.session.commit()
    seed_report_campaign(campaign)
    publish(pg_app, campaign)
    db.session.expire_all()
    client = pg_app.test_client()
    page = html(client.get(f"/reports/{campaign.slug}?lang=en"))
    assert [text(li) for li in page.select(".key-figures li")][-1] == "12 notes"
    assert client.get(f"/reports/{campaign.slug}/images/overall.png").status_code == 200

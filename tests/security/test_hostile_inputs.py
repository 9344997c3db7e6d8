"""Hostile input on every route of the URL map: a route added later is covered without a new test.

Another organisation's data is made first, so that it holds id 1 in every table; the admin of
the second organisation then asks for id 1 everywhere, and nothing of the first may change or
show. NUL bytes, integers beyond 64 bits, CR/LF and oversized bodies never give a 500.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from werkzeug.routing import AnyConverter, IntegerConverter

from gjestebud.extensions import db
from gjestebud.models import AuditEvent, FeedbackMessage, LibraryTheme
from gjestebud.security import FORM_CHECKED_VIEWS
from gjestebud.services import consent, feedback_messages, invitation_links, outbox
from gjestebud.services import invitations as inv
from tests.account_helpers import login
from tests.conftest import csrf_token, make_campaign, make_meal, make_org, make_user
from tests.report_data import seed_report_campaign

HUGE = "99999999999999999999"
SECRET_TITLE = "Hemmelig kampanje i Drammen"
SECRET_EMAIL = "hemmelig.vert@drammen.example"
# Sample values for the string parts of paths.
STRING_ARGS = {"kind": "results", "lang": "nb", "scope": "all", "choice": "stop",
               "filename": "css/app.css"}
# Typical form fields, so that a POST gets past "nothing was filled in" to the real work.
FORM = {
    "title_nb": "Kapret", "purpose_nb": "x", "role": "admin", "name": "Mallory",
    "email": "mallory@evil.example", "text": "Kapret", "label": "Kapret", "target": "1",
    "note_ids": "1", "note_id": "1", "subject_nb": "Kapret", "body_nb": "Kapret",
    "language": "nb", "code": "123456", "password": "x", "confirm": "y", "action": "move",
}


def all_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


SENTINEL = 424242


def build(rule, int_value: str = "1", string_value: str | None = None,
          strings: dict | None = None) -> str:
    """A path for the rule: integer parts `int_value` (even beyond what the converter takes),
    string parts `string_value` or a sample value."""
    strings = {**STRING_ARGS, **(strings or {})}
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            values[name] = SENTINEL
        elif string_value is not None and not isinstance(converter, AnyConverter):
            values[name] = string_value
        else:
            values[name] = strings.get(name, "x")
    return rule.build(values, append_unknown=False)[1].replace(str(SENTINEL), int_value)


def methods(rule) -> list[str]:
    return [m for m in ("GET", "POST") if m in rule.methods]


@pytest.fixture
def theirs(app):
    """Drammen's data, made first: id 1 in every table it has rows in."""
    org = make_org("Drammen kommune", "drammen")
    coordinator = make_user(org, email="drammen@example.no", role="coordinator")
    campaign = make_campaign(org, title=SECRET_TITLE)
    seed_report_campaign(campaign)
    inv.add_host(campaign, inv.HostData(name="Hemmelig Vert", email=SECRET_EMAIL))
    feedback_messages.create_message(
        campaign, "results", feedback_messages.default_draft(campaign, "results"),
        user=coordinator)
    outbox.queue_message(kind="test", recipient=SECRET_EMAIL, language="nb",
                         dedupe_key="test:drammen", organisation_id=org.id,
                         context={"queued_on": date.today()})
    db.session.add(LibraryTheme(organisation_id=org.id, label="Hemmelig tema"))
    meal, host_token = make_meal(campaign, "Askim", "pensjonister")
    contact = consent.give_consent(meal, "gjest@drammen.example", "nb")
    invitation = inv.add_host(campaign, inv.HostData(name="Vert To", email="to@drammen.example"))
    db.session.commit()
    tokens = {
        "public": meal.public_token, "feedback.consent": meal.public_token,
        "feedback.unsubscribe": consent.unsubscribe_token(contact), "host": host_token,
        "invitation": invitation_links.personal_token(invitation),
    }
    db.session.commit()
    return SimpleNamespace(org=org, slug=campaign.slug, tokens=tokens)


def real_strings(theirs, endpoint: str) -> dict:
    """The other organisation's real tokens and slug for a public route, so that its view runs."""
    blueprint = endpoint.partition(".")[0]
    token = theirs.tokens.get(endpoint) or theirs.tokens.get(blueprint, "x")
    return {"token": token, "slug": theirs.slug}


@pytest.fixture
def mine(app, theirs):
    """The admin of another organisation, logged in."""
    org = make_org("Indre Østfold kommune", "indre-ostfold")
    make_user(org, email="admin@example.no", role="admin")
    db.session.commit()
    client = app.test_client()
    assert login(client, "admin@example.no").status_code == 303
    return client


def fingerprint() -> dict[str, list]:
    """Every row of every table but the audit log (and last-login times)."""
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name == "audit_event":
            continue
        columns = [c for c in table.columns if c.name not in ("last_login_at",)]
        rows[table.name] = sorted(
            (tuple(str(v) for v in row) for row in db.session.execute(sa.select(*columns))),
        )
    return rows


def test_another_organisations_ids_change_and_show_nothing_on_any_route(app, mine, theirs):
    assert db.session.get(FeedbackMessage, 1).campaign.organisation_id == theirs.org.id
    token = csrf_token(mine.get("/staff/campaigns/new"))
    before = fingerprint()
    problems, checked = [], 0
    for rule in all_rules(app):
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        for method in methods(rule):
            url = build(rule)
            response = mine.open(url, method=method, data={"csrf_token": token, **FORM}
                                 if method == "POST" else None)
            body = response.get_data(as_text=True)
            checked += 1
            if response.status_code not in (403, 404):
                problems.append((method, url, response.status_code))
            if SECRET_TITLE in body or SECRET_EMAIL in body:
                problems.append((method, url, "shows Drammen's data"))
    assert problems == []
    assert checked >= 40
    db.session.expire_all()
    assert fingerprint() == before
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.organisation_id == theirs.org.id,
                                        AuditEvent.action != "login.succeeded"))


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "staff"])
def test_nul_bytes_in_path_query_or_form_are_a_bad_request(app, mine, logged_in):
    client = mine if logged_in else app.test_client()
    token = csrf_token(client.get("/my-data"))
    problems = []
    for rule in all_rules(app):
        for method in methods(rule):
            attempts = [(build(rule, string_value="a\x00b"), {})] if any(
                not isinstance(c, IntegerConverter) for c in rule._converters.values()) else []
            attempts += [
                (build(rule) + "?q=1%00&page=%00", {}),
                (build(rule), {"csrf_token": token, **{k: v + "\x00" for k, v in FORM.items()}}),
            ]
            for url, data in attempts:
                if method == "GET" and data:
                    continue
                response = client.open(url, method=method, data=data or None)
                if response.status_code >= 500 or response.status_code == 200 and data:
                    problems.append((method, url, response.status_code))
    assert problems == []
    assert app.test_client().get("/reports/%00").status_code == 400


def test_integers_beyond_64_bits_find_nothing_and_never_fail(app, mine):
    token = csrf_token(mine.get("/staff/campaigns/new"))
    problems = []
    for rule in all_rules(app):
        for method in methods(rule):
            url = build(rule, int_value=HUGE)
            data = {"csrf_token": token, **{k: HUGE for k in FORM}, "page": HUGE,
                    "expected_guests": HUGE, "guest_count": HUGE, "question_id": HUGE}
            response = mine.open(url + f"?page={HUGE}&q={HUGE}&contact={HUGE}&host={HUGE}",
                                 method=method, data=data if method == "POST" else None)
            if response.status_code >= 500:
                problems.append((method, url, response.status_code))
            if HUGE in url and response.status_code not in (404, 405):
                problems.append((method, url, response.status_code))
    assert problems == []
    assert mine.get(f"/staff/campaigns/{HUGE}").status_code == 404


def test_cr_lf_in_any_value_never_reaches_a_header(app, mine):
    token = csrf_token(mine.get("/staff/campaigns/new"))
    evil = "x\r\nX-Injected: 1\r\n\r\n<script>alert(1)</script>"
    problems = []
    for rule in all_rules(app):
        for method in methods(rule):
            url = build(rule) + "?next=%0d%0aX-Injected:%201&lang=%0d%0aX-Injected:%201"
            data = {"csrf_token": token, **{k: evil for k in FORM}}
            response = mine.open(url, method=method, data=data if method == "POST" else None)
            if response.status_code >= 500 or "X-Injected" in response.headers:
                problems.append((method, url, response.status_code))
    assert problems == []


def test_oversized_bodies_are_refused_on_every_post_route(app, mine):
    token = csrf_token(mine.get("/staff/campaigns/new"))
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    problems = []
    for rule in all_rules(app):
        if "POST" not in rule.methods:
            continue
        response = mine.post(build(rule), data={"csrf_token": token, "text": big})
        if response.status_code != 413:
            problems.append((build(rule), response.status_code))
    assert problems == []


def test_every_state_changing_route_refuses_a_missing_csrf_token(app, mine, theirs):
    """No POST without a valid token changes anything, whether or not its view has a form."""
    before = fingerprint()
    problems, reached = [], 0
    for rule in all_rules(app):
        if "POST" not in rule.methods:
            continue
        url = build(rule, strings=real_strings(theirs, rule.endpoint))
        response = mine.post(url, data=FORM)
        if response.status_code >= 500:
            problems.append((url, response.status_code))
        reached += response.status_code != 404
    assert problems == []
    assert reached >= 20  # the public views were reached with real tokens, not only 404s
    # The only views let past the global check are those whose own form checks the token.
    assert app.extensions["csrf"]._exempt_views == FORM_CHECKED_VIEWS
    assert not app.extensions["csrf"]._exempt_blueprints
    db.session.expire_all()
    assert fingerprint() == before

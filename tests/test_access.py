"""Who may open which staff page: every staff route × every role, deny by default, and nothing
crosses from one organisation to another."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from gjestebud import access
from gjestebud.extensions import db
from gjestebud.models import Role, User
from tests.account_helpers import login
from tests.conftest import csrf_token, html, make_campaign, make_org, make_user

ROLES = [r.value for r in Role]


def staff_rules(app):
    """(endpoint, rule) for every route behind the staff login, as the app has them."""
    return [
        (rule.endpoint, rule) for rule in app.url_map.iter_rules()
        if access.is_staff_endpoint(rule.endpoint, rule.rule)
    ]


def url_for_rule(rule, ids: dict) -> str:
    values = {}
    for name in rule.arguments:
        is_int = isinstance(rule._converters[name], IntegerConverter)
        values[name] = ids.get(name, 1) if is_int else "x"
    return rule.build(values, append_unknown=False)[1]


def test_every_staff_route_has_an_access_rule(app):
    missing = sorted(
        endpoint for endpoint, _rule in staff_rules(app) if access.rule_for(endpoint) is None
    )
    assert missing == [], f"add these endpoints to gjestebud/access.py RULES: {missing}"


def test_the_table_names_only_endpoints_that_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    stale = [name for name in access.RULES if not name.endswith(".*") and name not in endpoints]
    assert stale == []


def test_admins_may_use_every_staff_page_and_each_role_has_its_own_area(app):
    for endpoint, _rule in staff_rules(app):
        assert access.allowed(endpoint, Role.ADMIN.value), endpoint
    assert access.allowed("admin.users", Role.ADMIN.value)
    assert not access.allowed("admin.users", Role.COORDINATOR.value)
    assert not access.allowed("admin.audit", Role.ANALYST.value)
    assert access.allowed("staff.campaign_new", Role.COORDINATOR.value)
    assert not access.allowed("staff.campaign_new", Role.ANALYST.value)
    assert access.allowed("analyst.index", Role.ANALYST.value)
    assert not access.allowed("analyst.index", Role.COORDINATOR.value)


def test_every_staff_route_for_every_role_is_allowed_or_refused_as_the_table_says(app):
    org = make_org()
    campaign = make_campaign(org)
    users = {role: make_user(org, email=f"{role}@example.no", role=role) for role in ROLES}
    db.session.commit()
    checked = 0
    for role in ROLES:
        client = app.test_client()
        assert login(client, f"{role}@example.no").status_code == 303
        for endpoint, rule in staff_rules(app):
            expected = access.rule_for(endpoint)
            if expected == access.ANYONE or endpoint == "staff.logout":
                continue
            if endpoint.startswith("admin.user"):
                ids = {"id": users[Role.COORDINATOR.value].id}
            else:
                ids = {"id": campaign.id, "campaign_id": campaign.id}
            url = url_for_rule(rule, ids)
            method = "GET" if "GET" in rule.methods else "POST"
            response = client.open(url, method=method)
            if role in expected:
                assert response.status_code != 403, f"{role} refused at {endpoint} {url}"
            else:
                assert response.status_code == 403, f"{role} let into {endpoint} {url}"
            checked += 1
    assert checked > 3 * 20


def test_a_staff_route_missing_from_the_table_is_refused_even_to_admins(app, client):
    app.add_url_rule("/staff/forgotten-page", "staff.forgotten_page", lambda: "secret")
    make_user(make_org(), email="admin@example.no", role="admin")
    db.session.commit()
    login(client, "admin@example.no")
    response = client.get("/staff/forgotten-page")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


def test_the_staff_menu_shows_only_what_the_role_may_use(client):
    org = make_org()
    make_user(org, email="analyst@example.no", role="analyst")
    make_user(org, email="admin@example.no", role="admin")
    db.session.commit()
    login(client, "analyst@example.no")
    nav = html(client.get("/staff/?lang=en")).find("nav", attrs={"aria-label": "Staff menu"})
    links = [a.get_text(strip=True) for a in nav.find_all("a")]
    assert links == ["Campaigns", "Analysis", "My account"]
    client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/"))})
    login(client, "admin@example.no")
    nav = html(client.get("/staff/?lang=en")).find("nav", attrs={"aria-label": "Staff menu"})
    links = [a.get_text(strip=True) for a in nav.find_all("a")]
    assert {"Users", "Audit log", "Organisation", "Analysis"} <= set(links)


# --- organisations never cross ---------------------------------------------------------------

@pytest.fixture
def two_orgs(app):
    mine = make_org("Indre Østfold kommune", "indre-ostfold")
    theirs = make_org("Drammen kommune", "drammen")
    me = make_user(mine, email="admin@example.no", role="admin")
    their_campaign = make_campaign(theirs, title="Drammens kampanje")
    their_user = make_user(theirs, email="drammen@example.no", role="coordinator")
    db.session.commit()
    return me, their_campaign, their_user


def test_guessing_another_organisations_ids_finds_nothing_on_any_staff_page(app, client, two_orgs):
    _me, their_campaign, their_user = two_orgs
    login(client, "admin@example.no")
    leaks = []
    visited = 0
    for endpoint, rule in staff_rules(app):
        if not {"id", "campaign_id"} & rule.arguments or "GET" not in rule.methods:
            continue
        their_id = their_user.id if endpoint.startswith("admin.") else their_campaign.id
        url = url_for_rule(rule, {"id": their_id, "campaign_id": their_campaign.id})
        response = client.get(url)
        visited += 1
        if response.status_code != 404:
            leaks.append((endpoint, url, response.status_code))
    assert leaks == []
    assert visited >= 15  # campaign, analysis, coordination, feedback and admin pages


def test_another_organisations_user_cannot_be_changed_or_deactivated(app, client, two_orgs):
    _me, _campaign, their_user = two_orgs
    login(client, "admin@example.no")
    token = csrf_token(client.get("/staff/admin/users"))
    base = f"/staff/admin/users/{their_user.id}"
    assert client.post(base, data={"csrf_token": token, "role": "admin"}).status_code == 404
    for action in ("deactivate", "resend", "reset-two-factor"):
        assert client.post(f"{base}/{action}", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert their_user.role == "coordinator" and their_user.active
    users_page = client.get("/staff/admin/users").get_data(as_text=True)
    assert "drammen@example.no" not in users_page


def test_another_organisations_campaign_cannot_be_exported_or_edited(app, client, two_orgs):
    _me, their_campaign, _user = two_orgs
    login(client, "admin@example.no")
    base = f"/staff/campaigns/{their_campaign.id}"
    assert client.get(base + "/notes.csv").status_code == 404
    assert client.get(f"/analyst/campaigns/{their_campaign.id}/export/notes.csv").status_code == 404
    token = csrf_token(client.get("/staff/campaigns/new"))
    response = client.post(base + "/edit", data={"csrf_token": token, "title_nb": "Kapret"})
    assert response.status_code == 404
    db.session.expire_all()
    assert their_campaign.titles["nb"] == "Drammens kampanje"
    assert db.session.scalar(db.select(User).where(User.email == "drammen@example.no")).active

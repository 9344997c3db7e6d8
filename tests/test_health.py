"""The health check that load balancers rely on."""


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_database_is_unreachable(tmp_path):
    from gjestebud import create_app

    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
    })
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_security_headers_on_every_page(client):
    response = client.get("/healthz")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_friendly_404_in_norwegian(client):
    response = client.get("/finnes-ikke", headers={"Accept-Language": "nb"})
    assert response.status_code == 404
    assert "<html lang=\"nb\"" in response.get_data(as_text=True)

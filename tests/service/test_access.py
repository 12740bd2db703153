"""API keys and roles: no key no access (except /health), roles ordered reader < coordinator < admin."""

import pytest

from service.auth import ApiKeys


def test_health_needs_no_key(service):
    body = service.client.get("/health").json()
    assert body["status"] == "ok" and body["embedding_model"] == "hashing-64"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/me"),
        ("get", "/recommendations"),
        ("get", "/search?q=torture"),
        ("get", "/clusters"),
        ("get", "/stats"),
        ("get", "/taxonomies/themes"),
        ("get", "/exports/clusters"),
        ("post", "/tag"),
        ("post", "/imports"),
        ("get", "/keys"),
    ],
)
def test_every_other_route_needs_a_key(service, method, url):
    response = getattr(service.client, method)(url)
    assert response.status_code == 401
    assert "API key" in response.json()["detail"]
    wrong = getattr(service.client, method)(url, headers={"X-API-Key": "tw_not-a-key"})
    assert wrong.status_code == 401


def test_me_names_the_key_and_its_role(service):
    assert service.get("/me", "coordinator").json() == {"name": "test coordinator", "role": "coordinator"}


@pytest.mark.parametrize(
    ("method", "url", "needs"),
    [
        ("post", "/imports", "coordinator"),
        ("post", "/recommendations", "coordinator"),
        ("put", "/recommendations/s1/tags", "coordinator"),
        ("put", "/recommendations/s1/ministries", "coordinator"),
        ("post", "/clusters/merge", "coordinator"),
        ("post", "/clusters/c-x/confirm", "coordinator"),
        ("post", "/clusters/c-x/split", "coordinator"),
        ("post", "/imports/1/resume", "coordinator"),
        ("get", "/keys", "admin"),
        ("post", "/keys", "admin"),
        ("delete", "/keys/1", "admin"),
    ],
)
def test_roles_below_the_route_are_refused(service, method, url, needs):
    below = {"coordinator": ["reader"], "admin": ["reader", "coordinator"]}[needs]
    for role in below:
        response = getattr(service.client, method)(url, headers=service.headers[role])
        assert response.status_code == 403, (role, response.text)
        assert needs in response.json()["detail"]


def test_admin_creates_lists_and_revokes_keys(service):
    created = service.post("/keys", "admin", json={"name": "tracking system", "role": "reader"})
    assert created.status_code == 201
    key = created.json()["key"]
    assert service.client.get("/me", headers={"X-API-Key": key}).json()["role"] == "reader"
    listed = service.get("/keys", "admin").json()
    assert {"tracking system"} <= {k["name"] for k in listed}
    assert all("key" not in k for k in listed)  # only hashes are kept
    assert service.delete(f"/keys/{created.json()['id']}").status_code == 204
    assert service.client.get("/me", headers={"X-API-Key": key}).status_code == 401
    assert service.delete("/keys/9999").status_code == 404
    bad_role = service.post("/keys", "admin", json={"name": "x", "role": "owner"})
    assert bad_role.status_code == 422


def test_keys_are_stored_hashed(service):
    store = service.client.app.state.pipeline.store
    key_id, key = ApiKeys(store).create("audit", "reader")
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT key_hash, prefix FROM api_keys").all()
    assert all(key not in row[0] for row in rows) and len(rows[-1][0]) == 64


def test_the_web_cookie_is_accepted_like_the_header(service):
    key = service.headers["reader"]["X-API-Key"]
    service.client.cookies.set("tawsiya_key", key)
    try:
        assert service.client.get("/me").json()["role"] == "reader"
    finally:
        service.client.cookies.clear()


def test_cors_is_closed_by_default(service):
    preflight = service.client.options(
        "/search", headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers

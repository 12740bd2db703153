"""The workspace's pages without a browser: access, languages, decisions through the API's roles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service.web.i18n import LANGUAGES, LOCALES

TEMPLATES = Path("service/web")
MESSAGE_CALL = re.compile(r"""\bt\(\s*["']([a-z_.]+[a-z_])["']""")


def cookie(service, role: str = "coordinator", lang: str = "en") -> dict[str, str]:
    key = service.headers[role]["X-API-Key"]
    return {"Cookie": f"tawsiya_key={key}; tawsiya_lang={lang}"}


def test_catalogs_have_the_same_keys_and_every_literal_key_used():
    catalogs = {lang: json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES}
    assert all(set(messages) == set(catalogs["en"]) for messages in catalogs.values())
    sources = [*TEMPLATES.glob("templates/*.html"), *TEMPLATES.glob("views/*.py")]
    used = {key for path in sources for key in MESSAGE_CALL.findall(path.read_text(encoding="utf-8"))}
    assert used - set(catalogs["en"]) == set()


def test_pages_need_a_key_and_the_sign_in_keeps_it_in_a_strict_http_only_cookie(service):
    client = service.client
    answer = client.get("/web/clusters?state=Tunisia", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/web/sign-in?next=%2Fweb%2Fclusters")
    refused = client.post("/web/sign-in", data={"key": "tw_nope"}, follow_redirects=False)
    assert refused.status_code == 401 and 'role="alert"' in refused.text
    key = service.headers["reader"]["X-API-Key"]
    accepted = client.post(
        "/web/sign-in", data={"key": key, "next": "https://elsewhere.example/"}, follow_redirects=False
    )
    assert accepted.headers["location"] == "/web/"
    set_cookie = accepted.headers["set-cookie"].lower()
    assert "tawsiya_key=" in set_cookie and "httponly" in set_cookie and "samesite=strict" in set_cookie


@pytest.mark.parametrize(
    ("lang", "direction", "title"), [("ar", "rtl", "لوحة المتابعة"), ("fr", "ltr", "Tableau de bord")]
)
def test_a_page_in_the_chosen_language(loaded, lang, direction, title):
    page = loaded.client.get("/web/dashboard", headers=cookie(loaded, lang=lang)).text
    assert f'<html lang="{lang}" dir="{direction}">' in page and f"<h1>{title}</h1>" in page


def test_the_language_switch_sets_a_cookie_and_stays_in_the_workspace(service):
    answer = service.client.get("/web/language/ar?next=//evil.example", follow_redirects=False)
    assert answer.headers["location"] == "/web/" and "tawsiya_lang=ar" in answer.headers["set-cookie"]
    assert service.client.get("/web/language/de", follow_redirects=False).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/web/dashboard",
        "/web/import",
        "/web/imports/1",
        "/web/clusters?min_size=1",
        "/web/recommendations/s4",
        "/web/search?q=torture",
        "/web/search?lang=fr",
        "/web/export",
    ],
)
def test_every_page_renders(loaded, path):
    answer = loaded.client.get(path, headers=cookie(loaded))
    assert answer.status_code == 200, answer.text[-500:]


def test_merging_through_the_page_calls_the_api_and_a_reader_may_not(loaded):
    clusters = loaded.get("/clusters", params={"state": "Morocco", "min_size": 1}).json()["items"]
    first, second = clusters[-2]["id"], clusters[-1]["id"]
    form = {"cluster": [first, second], "return_to": "/web/clusters?state=Morocco&min_size=1"}
    refused = loaded.client.post(
        "/web/clusters/merge", data=form, headers=cookie(loaded, "reader"), follow_redirects=False
    )
    assert "error=" in refused.headers["location"]
    done = loaded.client.post("/web/clusters/merge", data=form, headers=cookie(loaded), follow_redirects=False)
    assert done.headers["location"].endswith(f"notice=merged#cluster-{first}")
    assert len(loaded.get("/clusters", params={"state": "Morocco", "min_size": 1}).json()["items"]) == len(clusters) - 1


def test_a_tag_correction_sends_only_the_fields_that_changed(loaded):
    themes = loaded.get("/taxonomies/themes").json()
    form = {"themes__add": themes[0]["code"]}
    answer = loaded.client.post(
        "/web/recommendations/s4/tags", data=form, headers=cookie(loaded), follow_redirects=False
    )
    assert "notice=tags_saved" in answer.headers["location"]
    tags = loaded.get("/recommendations/s4").json()["tags"]
    assert [t["code"] for t in tags["themes"]] == [themes[0]["code"]] and tags["themes"][0]["source"] == "manual"
    assert all(t["source"] != "manual" for t in tags.get("sdg_targets", []))


def test_static_files_stay_in_their_folder(service):
    assert service.client.get("/web/static/workspace.js").status_code == 200
    assert service.client.get("/web/static/..%2Fpages.py").status_code == 404


def test_an_api_refusal_becomes_a_page_in_the_readers_language(loaded):
    answer = loaded.client.get("/web/recommendations/no-such-id", headers=cookie(loaded, lang="fr"))
    assert answer.status_code == 404 and "Introuvable" in answer.text and "no recommendation" in answer.text


def test_the_search_pages_language_filter_leaves_the_interface_language_alone(loaded):
    page = loaded.client.get("/web/search?lang=fr&q=torture", headers=cookie(loaded, lang="ar")).text
    assert '<html lang="ar" dir="rtl">' in page and 'value="fr" selected' in page


def test_an_edited_export_reads_back_as_decisions_and_a_reader_may_not(loaded, tmp_path):
    from tests.conftest import write_csv

    rows = [
        {"id": "s4", "lead_ministry": "parliament", "supporting_ministries": "justice"},
        {"id": "s5", "lead_ministry": "jsutice", "supporting_ministries": ""},
    ]
    path = write_csv(tmp_path / "matrix.csv", rows, list(rows[0]))

    def send(role):
        with path.open("rb") as handle:
            files = {"file": ("matrix.csv", handle, "text/csv")}
            return loaded.client.post("/web/export/decisions", files=files, headers=cookie(loaded, role))

    refused = send("reader")
    assert refused.status_code == 403 and loaded.get("/recommendations/s4").json()["ministries"]["source"] == "auto"
    page = send("coordinator")
    assert page.status_code == 200, page.text[-500:]
    assert "Decisions stored: 1; unchanged: 0; rows rejected: 1." in page.text and "unknown body" in page.text
    assert loaded.get("/recommendations/s4").json()["ministries"]["lead"]["id"] == "parliament"


def test_the_ministries_of_a_whole_cluster_set_from_its_card(loaded):
    cluster = loaded.get("/clusters", params={"min_size": 1}).json()["items"][0]
    page = loaded.client.get("/web/clusters?min_size=1", headers=cookie(loaded)).text
    assert f'action="/web/clusters/{cluster["id"]}/ministries"' in page
    assert "/ministries" not in loaded.client.get("/web/clusters?min_size=1", headers=cookie(loaded, "reader")).text
    form = {"lead": "health", "supporting": ["health", "solidarity"], "return_to": "/web/clusters?min_size=1"}
    answer = loaded.client.post(
        f"/web/clusters/{cluster['id']}/ministries", data=form, headers=cookie(loaded), follow_redirects=False
    )
    assert answer.headers["location"].endswith(f"notice=ministries_saved#cluster-{cluster['id']}")
    for member in cluster["members"]:
        bodies = loaded.get(f"/recommendations/{member['id']}").json()["ministries"]
        assert bodies["lead"]["id"] == "health" and [b["id"] for b in bodies["supporting"]] == ["solidarity"]
    shown = loaded.client.get("/web/clusters?min_size=1", headers=cookie(loaded, lang="fr")).text
    bodies = re.search(rf'id="cluster-{cluster["id"]}-bodies">(.*?)</p>', shown, re.S).group(1)
    health = next(
        b for b in loaded.get("/taxonomies/ministries", params={"lang": "fr"}).json() if b["code"] == "health"
    )
    assert health["label"] in bodies
    withdrawn = loaded.client.post(
        f"/web/clusters/{cluster['id']}/ministries/withdraw",
        data={"return_to": "/web/clusters?min_size=1"},
        headers=cookie(loaded),
        follow_redirects=False,
    )
    assert withdrawn.headers["location"].endswith(f"notice=ministries_withdrawn#cluster-{cluster['id']}")
    sources = {loaded.get(f"/recommendations/{m['id']}").json()["ministries"]["source"] for m in cluster["members"]}
    assert sources == {"auto"}


def test_a_correction_withdrawn_from_the_recommendation_page(loaded):
    loaded.put("/recommendations/s4/ministries", json={"lead": "tourism"})
    page = loaded.client.get("/web/recommendations/s4", headers=cookie(loaded)).text
    assert 'id="withdraw-ministries"' in page and "by test coordinator, 20" in page
    assert (
        'id="withdraw-ministries"'
        not in loaded.client.get("/web/recommendations/s4", headers=cookie(loaded, "reader")).text
    )
    answer = loaded.client.post(
        "/web/recommendations/s4/ministries/withdraw", headers=cookie(loaded), follow_redirects=False
    )
    assert "notice=ministries_withdrawn" in answer.headers["location"]
    assert loaded.get("/recommendations/s4").json()["ministries"]["source"] == "auto"
    assert 'id="withdraw-ministries"' not in loaded.client.get("/web/recommendations/s4", headers=cookie(loaded)).text


def test_tag_corrections_withdrawn_from_the_recommendation_page(loaded):
    assert 'id="withdraw-tags"' not in loaded.client.get("/web/recommendations/s4", headers=cookie(loaded)).text
    loaded.put("/recommendations/s4/tags", json={"themes": []})
    assert 'id="withdraw-tags"' in loaded.client.get("/web/recommendations/s4", headers=cookie(loaded)).text
    answer = loaded.client.post("/web/recommendations/s4/tags/withdraw", headers=cookie(loaded), follow_redirects=False)
    assert "notice=tags_withdrawn" in answer.headers["location"]
    assert all(
        t["source"] != "manual" for tags in loaded.get("/recommendations/s4").json()["tags"].values() for t in tags
    )

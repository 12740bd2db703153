"""The coordinator's workspace in headless Chromium: import, review clusters, correct, search, export."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from service.exports import EXPORT_COLUMNS

ARABIC = re.compile(r"[\u0600-\u06FF]")


def test_upload_shows_progress_and_the_rejected_rows_with_reasons(new_page, imported, screenshots):
    page = new_page()
    page.goto(imported["job_url"])
    assert page.locator("#import-status").get_attribute("data-status") == "done"
    rejected = page.locator("#rejected-rows tbody tr")
    assert rejected.count() == 1
    assert rejected.first.locator("td").nth(0).inner_text() == "11"  # the header is line 1
    assert "text" in rejected.first.inner_text()
    page.screenshot(path=screenshots / "import-done.png", full_page=True)
    page.goto("/web/import")
    assert page.locator("table tbody tr").count() >= 1


def _cards(page):
    return page.locator("[data-cluster]")


def test_merge_two_clusters_with_the_keyboard_then_move_a_member_out(new_page, imported, screenshots):
    page = new_page()
    page.goto(f"/web/clusters?state={imported['state']}&min_size=1")
    before = _cards(page).count()
    first, second = _cards(page).nth(before - 2), _cards(page).nth(before - 1)  # the smallest two
    kept = first.get_attribute("data-cluster")
    expected = int(first.get_attribute("data-size")) + int(second.get_attribute("data-size"))
    first.focus()
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.screenshot(path=screenshots / "clusters-two-selected.png")
    page.keyboard.press("m")
    page.wait_for_selector(".notice")
    assert _cards(page).count() == before - 1
    merged = page.locator(f"#cluster-{kept}")
    assert int(merged.get_attribute("data-size")) == expected
    assert page.evaluate("document.activeElement.id") == f"cluster-{kept}"  # the keyboard goes on from there
    page.screenshot(path=screenshots / "clusters-merged.png", full_page=True)

    merged.locator("form[action$='/split'] button").first.click()
    page.wait_for_selector(".notice")
    assert int(page.locator(f"#cluster-{kept}").get_attribute("data-size")) == expected - 1
    assert _cards(page).count() == before


def test_confirm_a_cluster_with_the_keyboard(new_page, imported):
    page = new_page()
    page.goto(f"/web/clusters?state={imported['state']}&min_size=2")
    card = _cards(page).first
    cluster_id = card.get_attribute("data-cluster")
    card.focus()
    page.keyboard.press("c")
    page.wait_for_selector(".notice")
    assert "confirmed" in page.locator(f"#cluster-{cluster_id}").get_attribute("class")


def test_correct_a_tag_and_the_lead_ministry(new_page, imported, screenshots):
    page = new_page()
    page.goto("/web/recommendations/e2e-04")
    page.locator("#tags summary").click()
    choice = page.locator("#themes-add option").nth(1)
    code = choice.get_attribute("value")
    page.select_option("#themes-add", code)
    page.locator("#tag-form button[type=submit]").click()
    page.wait_for_selector(".notice")
    corrected = page.locator(f"#tags tr[data-field=themes][data-code='{code}']")
    assert corrected.count() == 1 and corrected.locator(".badge").count() == 1

    # the mapper's proposal shows the bodies that could also lead; a coordinator's choice does not
    assert page.locator("#ministries tr[data-role=alternative]").count() >= 1
    page.locator("#ministries summary").click()
    lead = page.locator("#lead option").nth(2).get_attribute("value")
    page.select_option("#lead", lead)
    page.locator("#ministry-form button[type=submit]").click()
    page.wait_for_selector(".notice")
    assert page.locator(f"#ministries tr[data-role=lead][data-ministry='{lead}']").count() == 1
    assert page.locator("#ministries tr[data-role=alternative]").count() == 0
    page.screenshot(path=screenshots / "recommendation-corrected.png", full_page=True)


def test_search_in_arabic_finds_the_english_original(new_page, imported, screenshots):
    page = new_page("ar")
    page.goto("/web/search")
    page.fill("#q", "إلغاء عقوبة الإعدام")
    page.locator("form[role=search] button[type=submit]").click()
    # the results page, not the empty search page the click leaves (read too early under load, it had no hits)
    page.wait_for_url("**/web/search?*q=*")
    page.wait_for_selector("#results .hit")
    hits = page.locator("#results .hit")
    top = [hits.nth(i).get_attribute("data-id") for i in range(min(3, hits.count()))]
    assert "e2e-04" in top, top
    english = page.locator("#results .hit[data-id=e2e-04] a")
    assert english.get_attribute("lang") == "en" and english.inner_text() == "Abolish the death penalty"
    page.screenshot(path=screenshots / "search-arabic-query.png", full_page=True)


def test_switching_to_arabic_makes_the_pages_right_to_left(new_page, imported):
    page = new_page("en")
    page.goto("/web/search")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.locator("a[hreflang=ar]").click()
    page.wait_for_url("**/web/search")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("nav a[aria-current=page]").inner_text() == "بحث"
    brand, tools = page.locator(".brand").bounding_box(), page.locator(".tools").bounding_box()
    assert brand["x"] > tools["x"]  # the header starts on the right
    themes = page.locator("#f-theme option").all_inner_texts()[1:]
    assert themes and all(ARABIC.search(label) for label in themes)  # taxonomy labels in Arabic


def test_export_the_cluster_matrix_as_xlsx(new_page, imported, tmp_path):
    page = new_page()
    page.goto(f"/web/export?state={imported['state']}")
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    path = tmp_path / "clusters.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == EXPORT_COLUMNS
    assert {row[5] for row in rows[1:]} == {f"e2e-{n:02d}" for n in range(1, 15) if n != 10}


def test_a_reader_key_sees_no_decision_controls(new_page, imported, live_server):
    page = new_page(key=live_server.reader_key)
    page.goto(f"/web/clusters?state={imported['state']}&min_size=1")
    assert _cards(page).count() > 0
    assert page.locator("#merge-form, form.confirm, form[action$='/split']").count() == 0
    page.goto("/web/import")
    assert page.locator("#file").count() == 0


def test_a_wrong_key_is_refused(new_page):
    page = new_page(key="")
    page.goto("/web/clusters")
    assert "/web/sign-in" in page.url
    page.fill("#key", "tw_not-a-key")
    page.locator("form[action='/web/sign-in'] button[type=submit]").click()
    assert page.locator(".error[role=alert]").count() == 1

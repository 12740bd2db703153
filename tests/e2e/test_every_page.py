"""Every page in Arabic, French and English: screenshots, labels on controls, no sideways scrolling."""

from __future__ import annotations

import pytest

TABLET = {"width": 800, "height": 1180}

PAGES = {
    "sign-in": "/web/sign-in",
    "dashboard": "/web/dashboard",
    "import": "/web/import",
    "import-job": "/web/imports/1",
    "clusters": "/web/clusters?state=Morocco&min_size=1",
    "recommendation": "/web/recommendations/e2e-07",
    "search": "/web/search?q=marriage+age&lang=",
    "export": "/web/export?state=Morocco",
}

UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter((el) => el.type !== 'hidden')
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 120))"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _check_and_shoot(page, name: str, lang: str, screenshots) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == lang, name
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr"), name
    assert page.evaluate(UNLABELLED_CONTROLS) == [], name
    assert page.evaluate(SIDEWAYS) <= 1, name
    page.screenshot(path=screenshots / f"{name}-{lang}.png")


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_page_in_each_language(new_page, imported, screenshots, lang):
    signed_out = new_page(lang, key="")
    signed_out.goto(PAGES["sign-in"])
    _check_and_shoot(signed_out, "sign-in", lang, screenshots)
    page = new_page(lang)
    for name, path in PAGES.items():
        if name != "sign-in":
            page.goto(path)
            _check_and_shoot(page, name, lang, screenshots)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pages_fit_a_tablet(new_page, imported, screenshots, lang):
    page = new_page(lang, viewport=TABLET)
    for name in ("dashboard", "clusters", "recommendation", "search"):
        page.goto(PAGES[name])
        assert page.evaluate(SIDEWAYS) <= 1, name
        page.screenshot(path=screenshots / f"tablet-{name}-{lang}.png")


def test_focus_is_visible(new_page, imported):
    page = new_page()
    page.goto(PAGES["clusters"])
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")

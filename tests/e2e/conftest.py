"""End-to-end fixtures: a real server on a loopback port and headless Chromium driven by Playwright.

The server runs the real multilingual model (so that an Arabic query finds an English original)
over a store in a temporary folder, with a coordinator key and a reader key. Screenshots go to the folder in
``TAWSIYA_E2E_SCREENSHOTS`` (default: a temporary folder); the run prints where.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.auth import ApiKeys
from service.config import DEFAULT_MODEL, Settings
from service.main import create_app

CHROMIUM = os.environ.get("TAWSIYA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the web workspace in headless Chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.model)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """uvicorn serving ``create_app`` in a thread; ``url`` is its address, ``key`` a coordinator key."""

    def __init__(self, home: Path) -> None:
        import uvicorn

        self.settings = Settings(home=home, embedding_model=DEFAULT_MODEL)
        self.app = create_app(self.settings)
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.key = ""
        self.reader_key = ""

    def start(self, timeout: float = 180.0) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the e2e server did not start")
            time.sleep(0.1)
        keys = ApiKeys(self.app.state.pipeline.store)
        self.key = keys.create("e2e coordinator", "coordinator")[1]
        self.reader_key = keys.create("e2e reader", "reader")[1]
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


_SCREENSHOTS = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def screenshots(pytestconfig: pytest.Config) -> Path:
    folder = Path(os.environ.get("TAWSIYA_E2E_SCREENSHOTS") or tempfile.mkdtemp(prefix="tawsiya-e2e-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[_SCREENSHOTS] = folder.resolve()
    return folder


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    folder = config.stash.get(_SCREENSHOTS, None)
    if folder is not None:
        terminalreporter.write_line(f"web workspace screenshots (end-to-end tests): {folder}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium)")
    server = LiveServer(tmp_path_factory.mktemp("e2e-home")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(live_server: LiveServer):
    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (make install)")
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser, live_server: LiveServer):
    """``new_page(lang="en", key=..., viewport=...)``: a signed-in page in a fresh browser context."""
    contexts = []

    def open_page(lang: str = "en", key: str | None = None, viewport: dict | None = None):
        context = browser.new_context(viewport=viewport or VIEWPORT, base_url=live_server.url, accept_downloads=True)
        context.add_cookies([{"name": "tawsiya_lang", "value": lang, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        if key != "":
            page.goto("/web/sign-in")
            page.fill("#key", key or live_server.key)
            page.locator("form[action='/web/sign-in'] button[type=submit]").click()
            page.wait_for_url("**/web/dashboard")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def imported(browser, live_server: LiveServer, screenshots: Path) -> dict[str, str]:
    """Upload the small file once through the import page; return its state and the import's page."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.add_cookies([{"name": "tawsiya_key", "value": live_server.key, "url": live_server.url}])
    page = context.new_page()
    page.goto("/web/import")
    page.set_input_files("#file", str(Path(__file__).parent / "new_cycle.csv"))
    page.screenshot(path=screenshots / "import-chosen-file.png", full_page=True)
    page.locator("form[action='/web/import'] button[type=submit]").click()
    page.wait_for_url("**/web/imports/*")
    page.screenshot(path=screenshots / "import-progress.png", full_page=True)
    page.wait_for_selector("#import-status[data-status=done]", timeout=120_000)
    job_url = page.url
    context.close()
    return {"state": "Morocco", "job_url": job_url}

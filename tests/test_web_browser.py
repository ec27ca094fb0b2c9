"""The web app in a real browser (Playwright driving Debian's chromium) against a live ``uvicorn`` server.

The server runs the shipped pipeline in its worker pool, so the paste-and-click
test is end to end (it skips, saying why, only when the shipped models cannot be
loaded; the other tests then run with the light pipeline of tests/web_doubles.py).
The other tests read hand-built analyses stored directly in the same database.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from report_samples import BRIDGE_ARTICLE, bridge_analysis
from web_support import LIGHT, hostile_analysis, live_server, real_pipeline_problem

from spinlens.store.repository import Store
from spinlens.web.settings import WebSettings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXAMPLE = Path(__file__).resolve().parents[1] / "spinlens/examples/harbour-deal.txt"

# Collects CSP violations as the page sees them (init scripts run outside the page's CSP).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


@dataclass
class Server:
    base: str
    real_pipeline: bool
    store: Store
    versions: dict[str, str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    real = real_pipeline_problem() is None
    db_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"
    settings = WebSettings(db_url=db_url, workers=1, pipeline_factory=None if real else LIGHT)
    with live_server(settings) as live:
        # The tests store hand-built analyses straight into the server's database.
        store = Store.open(db_url)
        try:
            yield Server(live.base, real, store, live.app.state.service.pool.versions)
        finally:
            store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Tab:
    page: Any
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        seen: list[str] = self.page.evaluate("window.__cspViolations || []")
        return seen + [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture
def tab(chromium: Any) -> Iterator[Tab]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    opened = Tab(page)
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda m: opened.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: opened.errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield opened
    context.close()


def assert_clean(tab: Tab) -> None:
    assert tab.csp_violations() == []
    assert tab.errors == []
    assert [m for m in tab.console if m.startswith("error")] == []


def test_paste_an_article_see_progress_then_click_a_highlight_to_read_its_reason(
    server: Server, tab: Tab
) -> None:
    if not server.real_pipeline:
        pytest.skip(f"end to end needs the shipped pipeline: {real_pipeline_problem()}")
    page = tab.page
    page.goto(server.base + "/")
    text = EXAMPLE.read_text(encoding="utf-8") + f"\nEdition {time.time_ns()}.\n"
    page.fill("#text", text)
    held: list[Any] = []
    page.route("**/analyse", lambda route: held.append(route))
    page.click("#form-text button[type=submit]")
    # The request is held back here, so the progress indicator must be showing.
    page.wait_for_selector("#progress", state="visible")
    assert page.text_content("#progress-text").startswith("Analysing")
    assert page.is_disabled("#form-text button[type=submit]")
    # (Locators, not wait_for_function: that evaluates a string, which this CSP rightly forbids.)
    page.locator("#progress-text").filter(has_text=re.compile(r"… \d+ s$")).wait_for()
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url(re.compile(r"/articles/\d+$"), timeout=60_000)
    article_id = int(page.url.rsplit("/", 1)[1])

    stored = page.request.get(f"{server.base}/api/articles/{article_id}").json()["analysis"]
    techniques = [i for i, f in enumerate(stored["findings"]) if f["kind"] == "technique"]
    assert techniques, "the example article should have at least one technique"
    assert stored["analysers"]["techniques"].startswith("techniques@"), "the shipped pipeline must have run"

    span = page.locator(f'#article [data-fid="{techniques[0]}"]').first
    expected = stored["findings"][techniques[0]]
    assert expected["reason"] in span.get_attribute("title")
    # Click the innermost span of the first technique's first segment: it opens all findings there.
    clickable = page.locator(
        f'#article [data-fid="{techniques[0]}"] [data-fids], #article [data-fids][data-fid="{techniques[0]}"]'
    ).first
    clickable.click()
    details = page.locator("#details-body")
    details.locator(f'.finding[data-fid="{techniques[0]}"]').wait_for()
    assert expected["reason"] in details.inner_text()
    assert f"{expected['score']:.2f}" in details.inner_text()
    assert_clean(tab)


def test_family_filter_hides_and_shows_highlights(server: Server, tab: Tab) -> None:
    article_id = server.store.save(
        bridge_analysis(text=BRIDGE_ARTICLE + "Filters.\n"), server.versions
    ).article_id
    page = tab.page
    page.goto(f"{server.base}/articles/{article_id}")
    span = page.locator("#article .hl.t.fam-simplification").first
    shown = span.evaluate("e => getComputedStyle(e).backgroundColor")
    assert shown != "rgba(0, 0, 0, 0)"
    page.uncheck('input[data-toggle="fam-simplification"]')
    assert page.evaluate("document.body.classList.contains('hide-fam-simplification')")
    assert span.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    other = page.locator("#article .hl.t.fam-attack-on-reputation").first
    assert other.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.check('input[data-toggle="fam-simplification"]')
    assert span.evaluate("e => getComputedStyle(e).backgroundColor") == shown
    # Keyboard: focus a highlight and press Enter.
    page.focus("#article [data-fids]")
    page.keyboard.press("Enter")
    assert page.locator("#details-body .finding").count() >= 1
    assert_clean(tab)


def test_library_search_and_filter_then_open_an_article(server: Server, tab: Tab) -> None:
    for i, outlet in enumerate(["harbourtimes.example", "coastpost.example", "harbourtimes.example"]):
        server.store.save(
            bridge_analysis(
                text=f"Browser library story {i}\n" + BRIDGE_ARTICLE,
                title=f"Browser library story {i}",
                url=f"https://{outlet}/{i}",
            ),
            server.versions,
        )
    page = tab.page
    page.goto(server.base + "/library")
    page.fill("#q", "Browser library story")
    page.click("#library-filters button[type=submit]")
    page.wait_for_url(re.compile(r"q=Browser\+library\+story"))
    assert page.locator("#library-table tbody tr").count() == 3
    page.select_option("#outlet", "coastpost.example")
    page.click("#library-filters button[type=submit]")
    page.wait_for_url(re.compile(r"outlet=coastpost.example"))
    rows = page.locator("#library-table tbody tr")
    assert rows.count() == 1 and "Browser library story 1" in rows.inner_text()
    assert page.input_value("#q") == "Browser library story"
    rows.locator("a").click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    assert page.text_content("h1") == "Browser library story 1"
    assert_clean(tab)


def test_hostile_article_runs_no_script(server: Server, tab: Tab) -> None:
    article_id = server.store.save(hostile_analysis(), server.versions).article_id
    page = tab.page
    for path in (f"/articles/{article_id}", "/library?q=%3Cscript%3Ealert(1)%3C/script%3E", "/overview"):
        page.goto(server.base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.pwned") == "undefined"
    page.goto(f"{server.base}/articles/{article_id}")
    for element in page.locator("#article [data-fids]").all():
        element.click()
    assert page.locator("#details-body .finding").count() >= 1
    # The hostile text is on the page as text.
    assert "<img src=x onerror=alert(1)>" in page.inner_text("#article")
    assert "{{ 7*7 }}" in page.inner_text("#article")
    assert page.locator("#article img, #article script, #article svg").count() == 0
    assert tab.dialogs == []
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert_clean(tab)


def test_overview_draws_its_charts_from_the_api_with_the_vendored_library(server: Server, tab: Tab) -> None:
    server.store.save(bridge_analysis(text=BRIDGE_ARTICLE + "Overview.\n"), server.versions)
    page = tab.page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.base + "/overview")
    page.wait_for_selector("body[data-charts=drawn]")
    assert page.evaluate("typeof window.Chart") == "function"
    for canvas in ("#chart-techniques", "#chart-sourcing", "#chart-narratives"):
        box = page.locator(canvas).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, canvas
    assert f"{server.base}/api/stats" in requests
    assert all(url.startswith(server.base) for url in requests), "nothing may load from outside the app"
    assert_clean(tab)


def test_api_docs_render_offline_under_the_csp(server: Server, tab: Tab) -> None:
    page = tab.page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.base + "/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert "/api/analyze" in page.inner_text("#swagger-ui")
    assert all(url.startswith(server.base) for url in requests)
    assert_clean(tab)

"""The HTML report: self-contained, overlaps visible, and every string escaped."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser

from report_samples import BRIDGE_ARTICLE, add_technique, bare_analysis, bridge_analysis, find

from spinlens.core.model import Analysis, Article
from spinlens.report import render
from spinlens.report.spans import display_safe

MALICIOUS = (
    "Officials said <script>alert(1)</script> was found in the leaked file.\n"
    'The page also showed <img src=x onerror=alert(1)> and a link to javascript:alert(2) "quoted".\n'
    "Someone typed {{ 7*7 }} and {% if true %}x{% endif %} into the comment box.\n"
    "A final line mentions </script><script>alert(3)</script> and & ampersands.\n"
)


class Page(HTMLParser):
    """Collects what the tests check: attributes, script bodies and the article's visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str | None]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.article_text = ""
        self._article_depth = 0
        self._script: dict[str, str | None] | None = None
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value) for name, value in attrs]
        if self._article_depth:
            self._article_depth += 1
        elif dict(attrs).get("id") == "article":
            self._article_depth = 1
        if tag == "script":
            self._script, self._script_text = dict(attrs), ""

    def handle_endtag(self, tag: str) -> None:
        if self._article_depth:
            self._article_depth -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, self._script_text))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text += data
        elif self._article_depth:
            self.article_text += data


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def article_div(page: str) -> str:
    start = page.index('<div id="article"')
    return page[start : page.index("</div>", start)]


def malicious_analysis() -> Analysis:
    analysis = Analysis(
        article=Article(
            text=MALICIOUS,
            title="<script>alert('title')</script>",
            url="javascript:alert(4)",
            language="en",
        )
    )
    for phrase in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "{{ 7*7 }}",
        "</script><script>alert(3)</script>",
    ):
        start, end = find(MALICIOUS, phrase)
        analysis.add_finding(
            "technique",
            "Loaded_Language",
            start,
            end,
            score=0.5,
            reason='Reason with "quotes" and <b>tags</b> and </script>.',
            analyser="techniques@1",
            details={"family": "Manipulative wording", "line": MALICIOUS.count("\n", 0, start) + 1},
        )
    analysis.verdict = "<script>alert('verdict')</script>"
    analysis.warnings.append("<img src=y onerror=alert(5)>")
    analysis.add_label("genre", "opinion", score=0.5, reason="<i>why</i>", analyser="genre@1")
    return analysis


# ------------------------------------------------------------------ self-contained


def test_no_external_resources() -> None:
    page = render(bridge_analysis(), "html")
    parsed = parse(page)
    assert not [a for a in parsed.attributes if a[1] == "src"], "no src attributes at all"
    hrefs = [value for _, name, value in parsed.attributes if name == "href"]
    external = [h for h in hrefs if h and not h.startswith("#")]
    assert external == ["https://gazette.example.com/news/bridge"]
    assert "<link" not in page and "@import" not in page and "url(" not in page
    link = re.search(r'<a href="https://gazette\.example\.com/news/bridge"([^>]*)>', page)
    assert link is not None and 'rel="noopener noreferrer"' in link.group(1)


def test_only_http_urls_are_linked() -> None:
    page = render(bridge_analysis(url="ftp://files.example.com/a.txt"), "html")
    hrefs = [v for _, n, v in parse(page).attributes if n == "href" and v and not v.startswith("#")]
    assert hrefs == []


def test_content_security_policy_allows_exactly_the_inline_script_and_style() -> None:
    page = render(bridge_analysis(), "html")
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    assert "default-src 'none'" in csp
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)  # type: ignore[union-attr]
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)  # type: ignore[union-attr]

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert f"script-src {sha(script)};" in csp
    assert f"style-src {sha(style)};" in csp


def test_script_uses_text_content_never_inner_html() -> None:
    page = render(bridge_analysis(), "html")
    executable = [body for attrs, body in parse(page).scripts if attrs.get("type") != "application/json"]
    assert len(executable) == 1
    assert "textContent" in executable[0]
    assert "innerHTML" not in executable[0] and "eval(" not in executable[0]


# ------------------------------------------------------------------ highlights


def test_article_text_is_reproduced_exactly() -> None:
    analysis = bridge_analysis()
    assert parse(render(analysis, "html")).article_text == analysis.article.text


def test_overlapping_findings_are_all_visible() -> None:
    analysis = bridge_analysis()
    page = render(analysis, "html")
    index = {(f.kind, f.label): i for i, f in enumerate(analysis.findings)}
    media = index[("sourcing", "media")]
    name_calling = index[("technique", "Name_Calling-Labeling")]
    loaded = index[("technique", "Loaded_Language")]
    # "reckless waste" lies inside Name_Calling, which lies inside the media-sourced claim.
    nested = re.search(r'data-fids="([\d ]+)"[^>]*>reckless waste</span>', page)
    assert nested is not None
    assert nested.group(1).split() == [str(media), str(name_calling), str(loaded)]
    # Each layer is its own element with its own lane, so all three underlines show.
    segment = page[: nested.end()]
    for finding_index, lane in ((media, 0), (name_calling, 1), (loaded, 2)):
        assert re.search(rf'class="hl [^"]*lane-{lane}" data-fid="{finding_index}"', segment)


def test_every_highlighted_finding_has_an_anchor_and_a_title_with_its_reason() -> None:
    analysis = bridge_analysis()
    page = render(analysis, "html")
    titles: dict[str, set[str]] = {}
    for match in re.finditer(r'data-fid="(\d+)" title="([^"]*)"', page):
        titles.setdefault(match.group(1), set()).add(html.unescape(match.group(2)))
    for i, finding in enumerate(analysis.findings):
        if finding.kind in ("technique", "sourcing"):
            assert f'id="f{i}"' in page
            assert titles[str(i)] and all(t.endswith(": " + finding.reason) for t in titles[str(i)])


def test_families_and_source_classes_get_distinct_classes() -> None:
    page = render(bridge_analysis(), "html")
    for css in (
        "t fam-attack-on-reputation",
        "t fam-manipulative-wording",
        "t fam-simplification",
        "s src-named-person",
        "s src-media",
        "s src-anonymous",
        "s src-unattributed",
    ):
        assert f'class="hl {css} lane-' in page


def test_details_data_is_valid_json_with_the_findings() -> None:
    analysis = bridge_analysis()
    scripts = parse(render(analysis, "html")).scripts
    data = json.loads(next(body for attrs, body in scripts if attrs.get("id") == "spinlens-data"))
    highlighted = {str(i) for i, f in enumerate(analysis.findings) if f.kind in ("technique", "sourcing")}
    assert set(data) == highlighted
    first = analysis.findings[0]
    assert data["0"]["text"] == first.text and data["0"]["reason"] == first.reason


def test_report_sections_are_present() -> None:
    analysis = bridge_analysis()
    page = render(analysis, "html")
    for expected in (
        "Verdict",
        html.escape(analysis.verdict),
        "an ingest warning",
        "opinion",
        "economic",
        "Mayor Lena Ortiz",
        "according to",
        "Lena Ortiz",
        "Protagonist (Peacemaker)",
        "positive (+0.40)",
        "Local spending",
        "4 attributed statements",
    ):
        assert expected in page, expected


def test_empty_analysis_renders() -> None:
    page = render(bare_analysis("Nothing to see here, just an invented sentence."), "html")
    assert "No persuasion techniques found." in page
    assert "Untitled article" in page
    assert parse(page).article_text == "Nothing to see here, just an invented sentence."


def test_long_article_with_many_overlapping_findings() -> None:
    text = BRIDGE_ARTICLE * 40  # about 20,000 characters
    analysis = bridge_analysis(text=text)
    for occurrence in range(1, 40):
        add_technique(analysis, "Loaded_Language", "reckless waste", occurrence=occurrence)
        add_technique(analysis, "Doubt", "the costs could double", occurrence=occurrence)
    page = render(analysis, "html")
    assert len(text) > 20_000
    assert parse(page).article_text == text


# ------------------------------------------------------------------ escaping


def test_article_markup_and_template_syntax_are_rendered_as_text() -> None:
    page = render(malicious_analysis(), "html")
    for raw in (
        "<script>alert(1)</script>",
        "<img src=x",
        "<script>alert('title')",
        "<script>alert('verdict')",
        "<img src=y",
        "<b>tags</b>",
        "<i>why</i>",
        "</script><script>alert(3)",
    ):
        assert raw not in page, raw
    for escaped in (
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "&lt;script&gt;alert(&#39;verdict&#39;)&lt;/script&gt;",
        "&lt;img src=y onerror=alert(5)&gt;",
        "&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;",
    ):
        assert escaped in page, escaped
    assert 'href="javascript' not in page
    assert "javascript:alert(2)" in page  # shown as text
    div = article_div(page)
    assert "{{ 7*7 }}" in div and "{% if true %}x{% endif %}" in div
    assert "49" not in div


def test_malicious_article_keeps_exactly_two_scripts_and_its_text() -> None:
    analysis = malicious_analysis()
    parsed = parse(render(analysis, "html"))
    assert [attrs.get("id") for attrs, _ in parsed.scripts] == ["spinlens-data", None]
    data = json.loads(parsed.scripts[0][1])
    assert {entry["text"] for entry in data.values()} == {f.text for f in analysis.findings}
    assert parsed.article_text == MALICIOUS
    handlers = [name for _, name, _ in parsed.attributes if name.startswith("on")]
    assert handlers == []


def test_control_characters_are_shown_not_emitted() -> None:
    text = "Bell \x07 and escape \x1b[31m in an invented line."
    page = render(bare_analysis(text), "html")
    assert "\x1b" not in page and "\x07" not in page
    assert parse(page).article_text == display_safe(text)


def test_the_template_environment_is_built_once() -> None:
    from spinlens.report.html import _environment

    assert _environment() is _environment()  # loading and compiling the template per report would be wasted

"""A single self-contained HTML report: inline CSS and JS, no external resources.

Every string from the article or the analysis reaches the page through
markupsafe escaping (Jinja autoescape, ``Markup.format``), or as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
which the page's script reads with ``JSON.parse`` and writes with
``textContent`` only. A Content-Security-Policy allows exactly the one inline
script and style block (by hash) and nothing from the network.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from spinlens.core.model import SCHEMA_VERSION, Analysis, Finding
from spinlens.core.settings import humanise
from spinlens.report.spans import Segment, assign_lanes, display_safe, highlighted, line_safe, segments
from spinlens.report.summary import (
    FAMILIES,
    FAMILY_COLOURS,
    SOURCE_CLASS_COLOURS,
    SOURCE_CLASS_NAMES,
    by_score,
    entity_rows,
    excerpt,
    family_counts,
    family_of,
    family_slug,
    genre_of,
    line_of,
    no_entities_message,
    sourcing_overview,
    technique_counts,
    title_of,
)

# Lanes beyond this share the last underline offset; six stacked layers is already a lot.
MAX_LANES = 6
LANE_STEP_PX = 4

_JS = """(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("spinlens-data").textContent);
  var body = document.getElementById("details-body");
  function add(parent, tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    parent.appendChild(el);
    return el;
  }
  function show(ids) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    ids.forEach(function (id) {
      var f = data[id];
      if (!f) { return; }
      var box = document.createElement("div");
      box.className = "finding " + f.css;
      add(box, "h3", f.title);
      add(box, "p", f.reason);
      add(box, "blockquote", f.text);
      var facts = document.createElement("dl");
      f.facts.forEach(function (pair) { add(facts, "dt", pair[0]); add(facts, "dd", pair[1]); });
      box.appendChild(facts);
      body.appendChild(box);
    });
  }
  function pick(event) {
    var el = event.target.closest ? event.target.closest("[data-fids]") : null;
    if (el) { show(el.getAttribute("data-fids").split(" ")); }
  }
  var article = document.getElementById("article");
  article.addEventListener("click", pick);
  article.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(event); }
  });
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
    });
  });
})();"""

_BASE_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px;
  padding: 1rem 1.5rem 3rem; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.meta, .hint, footer { color: #555; font-size: .9rem; }
.verdict { background: #f4f6fa; border-left: 4px solid #4e79a7; padding: .25rem 1rem; }
.verdict h2 { margin-top: .5rem; }
.warnings { background: #fff6e0; border-left: 4px solid #d4a017; padding: .25rem 1rem; }
.labels dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.labels dt { font-weight: 600; } .labels dd { margin: 0; }
ul.inline { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.reason { color: #444; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 1.5rem; align-items: start; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
#details { position: sticky; top: 1rem; border: 1px solid #ddd; border-radius: 6px; padding: 0 1rem 1rem;
  max-height: 90vh; overflow: auto; background: #fcfcfc; }
#details .finding { border-top: 1px solid #e3e3e3; padding-top: .5rem; margin-top: .5rem; }
#details h3 { font-size: 1rem; margin: .25rem 0; }
#details blockquote { margin: .25rem 0; padding-left: .5rem; border-left: 3px solid #ccc; color: #333; }
#details dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .75rem; font-size: .85rem; }
#details dt { color: #666; } #details dd { margin: 0; overflow-wrap: anywhere; }
.legend ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
.article { white-space: pre-wrap; overflow-wrap: break-word; line-height: 2.3; font-size: 1.02rem; }
.hl { cursor: pointer; border-bottom: 2px solid transparent; }
.hl:focus { outline: 2px solid #333; }
.swatch { padding: 0 .3rem; border-bottom: 2px solid transparent; }
.s { border-bottom-style: dashed; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e5e5e5; }
.num { text-align: right; }
ul.quotes { margin: 0; padding-left: 1rem; }
.findings li { margin-bottom: .3rem; }
.score { color: #666; font-variant-numeric: tabular-nums; }
.tone-negative { color: #b03a2e; } .tone-positive { color: #1e8449; }
"""


def rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def colour_rules() -> list[str]:
    """CSS for highlights: one colour per technique family and source class, one depth per lane.

    Shared by this report and the web app's article page, so their colours never drift apart.
    """
    rules: list[str] = []
    for family in FAMILIES:
        colour = FAMILY_COLOURS[family][0]
        slug = family_slug(family)
        rules.append(f".t.fam-{slug} {{ background: {rgba(colour, 0.2)}; border-bottom-color: {colour}; }}")
        rules.append(f".finding.fam-{slug} h3 {{ border-left: 6px solid {colour}; padding-left: .4rem; }}")
        rules.append(
            f"body.hide-fam-{slug} .hl.t.fam-{slug} {{ background: none; border-bottom-color: transparent; }}"
        )
    for source_class, colour in SOURCE_CLASS_COLOURS.items():
        slug = source_class.replace("_", "-")
        rules.append(f".s.src-{slug} {{ border-bottom-color: {colour}; }}")
        rules.append(f"body.hide-src-{slug} .hl.s.src-{slug} {{ border-bottom-color: transparent; }}")
        rules.append(f".finding.src-{slug} h3 {{ border-left: 6px solid {colour}; padding-left: .4rem; }}")
    # Each lane draws its underline lower than the one before, so overlapping findings all stay visible.
    for lane in range(MAX_LANES):
        rules.append(f".hl.lane-{lane} {{ padding-bottom: {1 + lane * LANE_STEP_PX}px; }}")
    return rules


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The page's CSS: fixed rules plus the highlight colours."""
    return "\n".join([_BASE_CSS, *colour_rules()]) + "\n"


def _csp_hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    return (
        f"default-src 'none'; script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def finding_css(finding: Finding) -> str:
    """CSS classes of a highlight: ``t fam-<family>`` for techniques, ``s src-<class>`` for sourcing."""
    if finding.kind == "technique":
        return f"t fam-{family_slug(family_of(finding))}"
    return f"s src-{finding.label.replace('_', '-')}"


def _finding_title(finding: Finding) -> str:
    if finding.kind == "technique":
        return f"{humanise(finding.label)} ({finding.score:.2f})"
    speaker = finding.details.get("speaker")
    who = speaker.get("text") if isinstance(speaker, dict) else None
    name = SOURCE_CLASS_NAMES.get(finding.label, finding.label)
    return f"Source: {name}" + (f", {who}" if who else "")


def finding_facts(finding: Finding) -> list[list[str]]:
    """Label/value rows shown in the details panel of a highlighted finding."""
    facts: list[list[str]] = []
    details = finding.details
    if finding.kind == "technique":
        facts.append(["Technique", finding.label])
        facts.append(["Family", family_of(finding)])
        line = line_of(finding)
        if line is not None:
            facts.append(["Line", str(line)])
        cues = details.get("cues")
        if isinstance(cues, list) and cues:
            facts.append(["Cues", ", ".join(str(c) for c in cues)])
    else:
        facts.append(["Class", SOURCE_CLASS_NAMES.get(finding.label, finding.label)])
        if details.get("mode"):
            facts.append(["Mode", str(details["mode"]).replace("_", " ")])
        for key in ("speaker", "cue"):
            value = details.get(key)
            if isinstance(value, dict) and value.get("text"):
                facts.append([key.capitalize(), str(value["text"])])
    facts.append(["Score", f"{finding.score:.2f}"])
    facts.append(["Offsets", f"{finding.start}-{finding.end}"])
    facts.append(["Analyser", finding.analyser])
    return facts


def _segment_html(segment: Segment, findings: list[Finding], lanes: dict[int, int]) -> Markup:
    text = escape(display_safe(segment.text))
    if not segment.covering:
        return text
    ids = " ".join(str(i) for i in segment.covering)
    opening: list[Markup] = []
    innermost = segment.covering[-1]
    for index in segment.covering:
        finding = findings[index]
        css = f"hl {finding_css(finding)} lane-{min(lanes[index], MAX_LANES - 1)}"
        anchor = Markup(' id="f{}"').format(index) if finding.start == segment.start else Markup("")
        extra = (
            Markup(' data-fids="{}" tabindex="0" role="button"').format(ids)
            if index == innermost
            else Markup("")
        )
        title = line_safe(f"{_finding_title(finding)}: {finding.reason}")
        opening.append(
            Markup('<span class="{}" data-fid="{}" title="{}"{}{}>').format(css, index, title, anchor, extra)
        )
    return Markup("").join(opening) + text + Markup("</span>" * len(opening))


def article_html(analysis: Analysis) -> Markup:
    """The article text with one nested ``<span>`` per highlighted finding covering each segment.

    Spans are cut at every finding boundary (report/spans.py), so overlapping findings are all drawn;
    each finding keeps its lane, and deeper lanes draw their underline lower. The web app's article
    page uses the same markup.
    """
    findings = analysis.findings
    order = highlighted(analysis)
    lanes = assign_lanes(findings, order)
    parts = [
        _segment_html(s, findings, lanes) for s in segments(analysis.article.text, findings, order, lanes)
    ]
    return Markup("").join(parts)


def _script_json(value: Any) -> Markup:
    """JSON that cannot end its ``<script>`` element or open a comment inside it."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _findings_data(analysis: Analysis) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for index in highlighted(analysis):
        finding = analysis.findings[index]
        data[str(index)] = {
            "title": _finding_title(finding),
            "reason": finding.reason,
            "text": finding.text,
            # Without the "t"/"s" highlight class, so the panel box is not painted like a highlight.
            "css": finding_css(finding).split(" ", 1)[1],
            "facts": finding_facts(finding),
        }
    return data


def _http_url(url: str | None) -> str | None:
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _line_safe_strings(value: object) -> object:
    # Every plain string printed by the template is one line of a title, list or table cell; the article body
    # and the page's own code arrive as Markup and keep their characters.
    return line_safe(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("spinlens.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_line_safe_strings,
    )


def render_html(analysis: Analysis) -> str:
    article = analysis.article
    css = stylesheet()
    counts = family_counts(analysis)
    legend = [
        {
            "name": family,
            "count": counts.get(family, 0),
            "css_class": f"t fam-{family_slug(family)}",
            "toggle": f"fam-{family_slug(family)}",
        }
        for family in FAMILIES
        if family != "Other" or counts.get(family)
    ]
    source_counts = Counter(f.label for f in analysis.findings_of("sourcing"))
    legend += [
        {
            "name": f"source: {name}",
            "count": source_counts.get(source_class, 0),
            "css_class": f"s src-{source_class.replace('_', '-')}",
            "toggle": f"src-{source_class.replace('_', '-')}",
        }
        for source_class, name in SOURCE_CLASS_NAMES.items()
    ]
    numbers = highlighted(analysis, ("technique",))
    genre = genre_of(analysis)
    context = {
        "title": display_safe(title_of(analysis)),
        "url": _http_url(article.url),
        "source": None
        if (article.path or article.url) == title_of(analysis)
        else (article.path or article.url),
        "published": article.published,
        "language": article.language or "undetermined",
        "length": f"{len(article.text):,}",
        "verdict": analysis.verdict or "No verdict was written.",
        "warnings": analysis.warnings,
        "genre": genre,
        "frames": [
            {"name": humanise(f.label), "score": f.score, "reason": f.reason}
            for f in by_score(analysis.labels_of("frame"))
        ],
        "narratives": [
            {"name": name, "labels": by_score(analysis.labels_of(kind))}
            for kind, name in (("narrative", "Narratives"), ("subnarrative", "Sub-narratives"))
            if analysis.labels_of(kind)
        ],
        "legend": legend,
        "article_html": article_html(analysis),
        "techniques": [
            {
                "name": humanise(row.label),
                "family": row.family,
                "family_slug": family_slug(row.family),
                "count": row.count,
                "examples": row.examples,
            }
            for row in technique_counts(analysis)
        ],
        "technique_findings": [
            {
                "index": i,
                "name": humanise(analysis.findings[i].label),
                "score": analysis.findings[i].score,
                "line": line_of(analysis.findings[i]),
                "quote": excerpt(analysis.findings[i].text, 200),
                "reason": analysis.findings[i].reason,
            }
            for i in numbers
        ],
        "sourcing_overview": sourcing_overview(analysis),
        "no_entities_message": no_entities_message(analysis),
        "sourcing": _sourcing_rows(analysis),
        "entities": entity_rows(analysis, limit=25),
        "analysers": ", ".join(sorted(analysis.analysers.values())),
        "schema_version": SCHEMA_VERSION,
        "findings_json": _script_json(_findings_data(analysis)),
        "css": Markup(css),
        "js": Markup(_JS),
        "csp": content_security_policy(css, _JS),
    }
    return _environment().get_template("report.html.j2").render(**context)


def _sourcing_rows(analysis: Analysis) -> list[dict[str, Any]]:
    rows = []
    for index in highlighted(analysis, ("sourcing",)):
        finding = analysis.findings[index]
        speaker = finding.details.get("speaker")
        cue = finding.details.get("cue")
        rows.append(
            {
                "index": index,
                "speaker": speaker.get("text") if isinstance(speaker, dict) else None,
                "cue": cue.get("text") if isinstance(cue, dict) else None,
                "mode": str(finding.details.get("mode") or "").replace("_", " "),
                "source_class_slug": finding.label.replace("_", "-"),
                "source_class_name": SOURCE_CLASS_NAMES.get(finding.label, finding.label),
                "claim": excerpt(finding.text, 240),
            }
        )
    return rows

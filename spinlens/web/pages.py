"""The browser pages: analyse, article view, library, overview and login, rendered on the server.

Article text and everything derived from it is hostile input. It reaches the
page only through Jinja's autoescaping or ``markupsafe`` (:func:`spinlens.report.html.article_html`
escapes every piece it joins), or as JSON inside a non-executed
``<script type="application/json">`` block that the static scripts read with
``JSON.parse`` and write with ``textContent``. No page has inline script or
style, so the Content-Security-Policy can forbid both.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile

from spinlens.core import settings as core_settings
from spinlens.core.errors import InputError
from spinlens.core.model import Analysis, Finding
from spinlens.core.settings import humanise
from spinlens.report import render
from spinlens.report.html import article_html, colour_rules, finding_css, finding_facts, rgba
from spinlens.report.spans import highlighted, line_safe
from spinlens.report.summary import (
    FAMILIES,
    FAMILY_COLOURS,
    SOURCE_CLASS_COLOURS,
    SOURCE_CLASS_NAMES,
    by_score,
    entity_rows,
    excerpt,
    family_of,
    family_slug,
    genre_of,
    sourcing_overview,
)
from spinlens.store.repository import MAX_PER_PAGE, LibraryQuery, Store, StoredAnalysis
from spinlens.web.api import (
    GenreFilter,
    NarrativeFilter,
    OutletFilter,
    SearchFilter,
    TechniqueFilter,
    library_query,
)
from spinlens.web.security import (
    CSRF_FIELD,
    TOKEN_COOKIE,
    csrf_token_for,
    csrf_valid,
    is_authorised,
    issue_csrf_cookie,
    token_matches,
)
from spinlens.web.service import Service
from spinlens.web.settings import WebSettings

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).parent / "templates"
UPLOAD_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
MAX_URL_CHARS = 2048
MAX_TITLE_CHARS = 1000
# Lanes beyond this share the deepest underline; more stacked layers would not be readable anyway.
MAX_LANES = 6
LANE_STEP_PX = 4
TOKEN_COOKIE_MAX_AGE = 30 * 24 * 3600
# The label of the analyse forms' checkbox, named when non-English text is refused.
NON_ENGLISH_ADVICE = "Tick “Analyse even if it is not English” to analyse it anyway"
# Ids are at most 2**62 (the article routes' limit): longer digit strings are not worth a lookup.
MAX_ID_DIGITS = 19


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its file name: all of them are HTML
        trim_blocks=True,
        lstrip_blocks=True,
    )


templates = Jinja2Templates(env=_environment())
templates.env.filters["humanise"] = humanise
templates.env.filters["excerpt"] = excerpt
templates.env.filters["line_safe"] = line_safe


# -- helpers shared by every page -----------------------------------------------------------------


def _settings(request: Request) -> WebSettings:
    web_settings: WebSettings = request.app.state.settings
    return web_settings


def _service(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a page template with what the layout needs (CSRF token, sign-in state)."""
    web_settings = _settings(request)
    base = {
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token_for(request),
        "needs_token": web_settings.requires_token,
        "signed_in": web_settings.requires_token and is_authorised(request, web_settings),
        "path": request.url.path,
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    issue_csrf_cookie(request, response)
    # Pages show stored analyses that can be deleted; a cached copy would show them after deletion.
    response.headers["Cache-Control"] = "no-store"
    return response


ERROR_HEADINGS = {
    401: "Sign-in needed",
    403: "Refused",
    404: "Not found",
    413: "Too large",
    504: "Took too long",
}


def _error_heading(request: Request, status: int) -> str:
    if status == 422:
        # The same status means a refused article, bad library filters or a malformed address.
        path = request.url.path
        if request.method == "POST" and path == "/analyse":
            return "Cannot analyse that"
        if path == "/library":
            return "Cannot use those filters"
        if path.startswith("/articles/"):
            return "Not a valid article address"
        return "Cannot do that"
    return ERROR_HEADINGS.get(status, "Something went wrong")


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The HTML error page (JSON clients get ``{"detail": ...}`` from the app's handlers instead)."""
    next_path = request.url.path if request.method == "GET" else "/"
    context = {
        "status": status,
        "heading": _error_heading(request, status),
        "message": message,
        "next": next_path,
    }
    return page(request, "error.html", context, status)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _check_form(request: Request, form: FormData) -> None:
    """CSRF first (a forged post learns nothing), then the token when this server needs one."""
    if not csrf_valid(request, form.get(CSRF_FIELD)):
        raise HTTPException(
            403, "this form has expired or was sent from another site: reload the page and try again"
        )
    if not is_authorised(request, _settings(request)):
        raise HTTPException(401, "this server needs a token for changes: sign in first")


async def _read_form(request: Request) -> FormData:
    # Starlette's default part limit (1 MiB) is below the longest text we accept; the body limit still holds.
    return await request.form(max_files=1, max_fields=20, max_part_size=_settings(request).max_body_bytes)


def _field(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    if value is None or isinstance(value, UploadFile):
        return ""
    if len(value) > limit:
        raise InputError(f"the {name} is longer than {limit:,} characters")
    return value


def _http_url(url: str | None) -> str | None:
    """The URL if it can safely be a link (http or https), else None: ``javascript:`` stays text."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _safe_next(value: str | None) -> str:
    """Only same-site paths: ``//evil.example`` and ``https://...`` would leave the site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


# -- analyse ----------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def analyse_page(request: Request) -> HTMLResponse:
    web_settings = _settings(request)
    recent = _service(request).store.library(LibraryQuery(per_page=5))
    return page(
        request,
        "analyse.html",
        {
            "max_file": _size(core_settings.MAX_INPUT_BYTES),
            "max_chars": f"{core_settings.MAX_TEXT_CHARS:,}",
            "max_chars_value": core_settings.MAX_TEXT_CHARS,
            "max_body": _size(web_settings.max_body_bytes),
            "timeout": f"{web_settings.analysis_timeout:g}",
            "upload_suffixes": ", ".join(sorted(UPLOAD_FORMATS)),
            "recent": recent.items,
        },
    )


def _size(n_bytes: int) -> str:
    mib = n_bytes / (1 << 20)
    return f"{mib:g} MiB" if mib == int(mib) else f"{mib:.2f} MiB"


async def _job_from_form(form: FormData) -> dict[str, Any]:
    """The analysis request a form describes: exactly one of pasted text, a URL or an uploaded file."""
    source = _field(form, "source", 10)
    title = _field(form, "title", MAX_TITLE_CHARS).strip() or None
    job: dict[str, Any] = {"title": title, "allow_non_english": form.get("allow_non_english") == "on"}
    upload = form.get("file")
    if source == "file" or (not source and isinstance(upload, UploadFile) and upload.filename):
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("choose a file to upload")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in UPLOAD_FORMATS:
            raise InputError(f"{upload.filename!r} is not a .txt, .md or .html file")
        limit = core_settings.MAX_INPUT_BYTES
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(413, f"the file is larger than the limit of {_size(limit)}")
        return {**job, "data": data, "fmt": UPLOAD_FORMATS[suffix], "name": Path(upload.filename).name}
    if source == "url" or (not source and form.get("url")):
        url = _field(form, "url", MAX_URL_CHARS).strip()
        if not url.lower().startswith(("http://", "https://")):
            raise InputError("give a web address starting with http:// or https://")
        return {**job, "url": url}
    text = _field(form, "text", core_settings.MAX_TEXT_CHARS)
    if not text.strip():
        raise InputError("paste the article's text first")
    return {**job, "text": text}


@router.post("/analyse")
async def analyse_submit(request: Request) -> Response:
    """Analyse, store and go to the article. Scripts ask for JSON; a plain form post gets a redirect."""
    form = await _read_form(request)
    _check_form(request, form)
    job = await _job_from_form(form)
    outcome = await _service(request).analyse(job, keep=True, non_english_advice=NON_ENGLISH_ADVICE)
    location = f"/articles/{outcome.article_id}"
    if _wants_json(request):
        return JSONResponse(
            {"article_id": outcome.article_id, "cached": outcome.cached, "location": location}
        )
    return RedirectResponse(location, status_code=303)


# -- article view -----------------------------------------------------------------------------------

MAX_ARTICLE_ID = 2**62
ArticleId = Annotated[int, PathParam(ge=1, le=MAX_ARTICLE_ID)]


def _stored(request: Request, article_id: int) -> StoredAnalysis:
    stored = _service(request).store.get_article(article_id)
    if stored is None:
        raise HTTPException(
            404, f"there is no article {article_id} in the library (it may have been deleted)"
        )
    return stored


def _title(analysis: Analysis) -> str:
    """The article's title, else its first line (as the library lists it)."""
    return excerpt(analysis.article.heading(), 200) or "Untitled article"


def _finding_name(finding: Finding) -> str:
    if finding.kind == "technique":
        return humanise(finding.label)
    return "source: " + SOURCE_CLASS_NAMES.get(finding.label, finding.label)


def findings_json(analysis: Analysis) -> Markup:
    """The details of every highlighted finding for the page's script, safe inside ``<script>``."""
    data = {
        str(index): {
            "name": _finding_name(finding),
            "reason": finding.reason,
            "text": finding.text,
            "css": finding_css(finding).split(" ", 1)[1],
            "facts": finding_facts(finding),
        }
        for index in highlighted(analysis)
        for finding in [analysis.findings[index]]
    }
    text = json.dumps(data, ensure_ascii=False)
    # "</script>" or "<!--" inside a string would end or confuse the element; \u escapes keep the JSON equal.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _filters(analysis: Analysis) -> list[dict[str, Any]]:
    families = Counter(family_of(f) for f in analysis.findings_of("technique"))
    classes = Counter(f.label for f in analysis.findings_of("sourcing"))
    rows = [
        {
            "toggle": f"fam-{family_slug(name)}",
            "name": name,
            "count": families[name],
            "swatch": f"t fam-{family_slug(name)}",
        }
        for name in FAMILIES
        if families[name]
    ]
    rows += [
        {
            "toggle": f"src-{cls.replace('_', '-')}",
            "name": f"source: {name}",
            "count": classes[cls],
            "swatch": f"s src-{cls.replace('_', '-')}",
        }
        for cls, name in SOURCE_CLASS_NAMES.items()
        if classes[cls]
    ]
    return rows


def _technique_groups(analysis: Analysis) -> list[dict[str, Any]]:
    by_family: dict[str, list[dict[str, Any]]] = {}
    for index in highlighted(analysis, ("technique",)):
        finding = analysis.findings[index]
        by_family.setdefault(family_of(finding), []).append(
            {
                "index": index,
                "name": humanise(finding.label),
                "score": finding.score,
                "quote": excerpt(line_safe(finding.text), 140),
            }
        )
    return [
        {"family": family, "slug": family_slug(family), "findings": by_family[family]}
        for family in FAMILIES
        if family in by_family
    ]


def _span_text(span: object) -> str | None:
    """The text of a span in a finding's details (``{"start", "end", "text"}``), if it has one."""
    text = span.get("text") if isinstance(span, dict) else None
    return text if isinstance(text, str) else None


def _sourcing(analysis: Analysis) -> list[dict[str, Any]]:
    """Each quote or reported statement with its speaker, cue and source class."""
    rows = []
    for index in highlighted(analysis, ("sourcing",)):
        finding = analysis.findings[index]
        details = finding.details if isinstance(finding.details, dict) else {}
        speaker, cue = _span_text(details.get("speaker")), _span_text(details.get("cue"))
        rows.append(
            {
                "index": index,
                "speaker": line_safe(speaker) if speaker else None,
                "cue": line_safe(cue) if cue else None,
                "mode": str(details.get("mode") or "").replace("_", " "),
                "class_name": SOURCE_CLASS_NAMES.get(finding.label, finding.label),
                "slug": finding.label.replace("_", "-"),
                "claim": excerpt(line_safe(finding.text), 240),
            }
        )
    return rows


@router.get("/articles/{article_id}.json")
def article_json(request: Request, article_id: ArticleId) -> Response:
    """The analysis exactly as ``spinlens analyze --format json`` writes it."""
    stored = _stored(request, article_id)
    return Response(
        render(stored.analysis, "json"),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="spinlens-article-{article_id}.json"'},
    )


@router.get("/articles/{article_id}/report.html")
def article_report(request: Request, article_id: ArticleId) -> Response:
    """The standalone HTML report, as a download (it carries its own, stricter CSP)."""
    stored = _stored(request, article_id)
    return Response(
        render(stored.analysis, "html"),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="spinlens-article-{article_id}.html"'},
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: ArticleId) -> HTMLResponse:
    stored = _stored(request, article_id)
    analysis = stored.analysis
    article = analysis.article
    genre = genre_of(analysis)
    return page(
        request,
        "article.html",
        {
            "article_id": article_id,
            "stored": stored,
            "title": line_safe(_title(analysis)),
            "link": _http_url(article.url),
            "url_text": line_safe(article.url or ""),
            "article": article,
            "meta": [
                *([f"published {article.published}"] if article.published else []),
                f"{len(article.text.split()):,} words",
                f"language {article.language or 'undetermined'}",
                f"analysed {stored.created_at:%Y-%m-%d %H:%M} UTC",
            ],
            "permalink": str(request.url_for("article_page", article_id=article_id)),
            "verdict": analysis.verdict,
            "warnings": analysis.warnings,
            "genre": genre,
            "frames": by_score(analysis.labels_of("frame")),
            "narratives": by_score(analysis.labels_of("narrative")),
            "subnarratives": by_score(analysis.labels_of("subnarrative")),
            "filters": _filters(analysis),
            "article_html": article_html(analysis),
            "findings_json": findings_json(analysis),
            "technique_groups": _technique_groups(analysis),
            "technique_total": len(analysis.findings_of("technique")),
            "sourcing_overview": sourcing_overview(analysis),
            "sourcing": _sourcing(analysis),
            "entities": entity_rows(analysis, limit=50),
            "analysers": sorted(analysis.analysers.values()),
        },
    )


@router.post("/articles/{article_id}/delete")
async def article_delete(request: Request, article_id: ArticleId) -> Response:
    form = await _read_form(request)
    _check_form(request, form)
    if not _service(request).store.delete_article(article_id):
        raise HTTPException(404, f"there is no article {article_id} in the library")
    return RedirectResponse(f"/library?deleted={article_id}", status_code=303)


@router.get("/assets/colours.css")
def colours_css() -> Response:
    """Highlight colours, generated from the same table the other reports use so they never drift."""
    return Response(_colours_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@lru_cache(maxsize=1)
def _colours_css() -> str:
    rules = colour_rules()
    # Page-only elements: legend swatches, family headings and source badges.
    for family in FAMILIES:
        colour = FAMILY_COLOURS[family][0]
        slug = family_slug(family)
        rules.append(f".swatch.t.fam-{slug} {{ background: {rgba(colour, 0.35)}; }}")
        rules.append(f".fam-head.fam-{slug} {{ border-left: 6px solid {colour}; }}")
    for source_class, colour in SOURCE_CLASS_COLOURS.items():
        slug = source_class.replace("_", "-")
        rules.append(f".badge.src-{slug} {{ background: {rgba(colour, 0.15)}; border-color: {colour}; }}")
    return "\n".join(rules) + "\n"


# -- library ----------------------------------------------------------------------------------------


def _form_date(value: str | None, name: str) -> date | None:
    """A date from a form field; browsers send empty fields as empty strings."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name} must be a date like 2025-01-31, not {value!r}") from None


def page_library_query(
    date_from: Annotated[str | None, Query(max_length=32)] = None,
    date_to: Annotated[str | None, Query(max_length=32)] = None,
    q: SearchFilter = None,
    outlet: OutletFilter = None,
    genre: GenreFilter = None,
    technique: TechniqueFilter = None,
    narrative: NarrativeFilter = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> LibraryQuery:
    """The API's library query, read from the filter form (whose empty fields mean "any")."""
    return library_query(
        q=q,
        outlet=outlet,
        genre=genre,
        technique=technique,
        narrative=narrative,
        date_from=_form_date(date_from, "the 'from' date"),
        date_to=_form_date(date_to, "the 'to' date"),
        page=page,
        per_page=per_page,
    )


@router.get("/library", response_class=HTMLResponse)
def library_page(
    request: Request, query: Annotated[LibraryQuery, Depends(page_library_query)]
) -> HTMLResponse:
    store = _service(request).store
    result = store.library(query)
    filters = {
        "q": query.q or "",
        "outlet": query.outlet or "",
        "genre": query.genre or "",
        "technique": query.technique or "",
        "narrative": query.narrative or "",
        "date_from": query.date_from.isoformat() if query.date_from else "",
        "date_to": query.date_to.isoformat() if query.date_to else "",
    }
    kept = {k: v for k, v in filters.items() if v}
    if query.per_page != 20:
        kept["per_page"] = str(query.per_page)

    def page_link(number: int) -> str:
        return "/library?" + urlencode({**kept, "page": number})

    return page(
        request,
        "library.html",
        {
            "result": result,
            "filters": filters,
            "filtered": bool(kept),
            "facets": store.facets(),
            "prev_link": page_link(result.page - 1) if result.page > 1 else None,
            "next_link": page_link(result.page + 1) if result.page < result.pages else None,
            "first_link": page_link(1),
            "deleted": _deleted_id(request, store),
        },
    )


def _deleted_id(request: Request, store: Store) -> int | None:
    """The id in ``?deleted=``, which the delete form redirects with, if that article is indeed gone.

    Anyone can type the parameter; the notice must not claim that an article still stored was deleted.
    """
    value = request.query_params.get("deleted", "")
    if not value.isdecimal() or not value.isascii() or len(value) > MAX_ID_DIGITS:
        return None
    article_id = int(value)
    if not 1 <= article_id <= MAX_ARTICLE_ID or store.has_article(article_id):
        return None
    return article_id


# -- overview ---------------------------------------------------------------------------------------


@router.get("/overview", response_class=HTMLResponse)
def overview_page(request: Request) -> HTMLResponse:
    stats = _service(request).store.stats()
    narratives = sorted({label for month in stats["narratives_by_month"] for label in month["counts"]})
    return page(request, "overview.html", {"stats": stats, "narratives": narratives})


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Interactive API documentation (vendored Swagger UI over /openapi.json)."""
    return page(request, "docs.html", {})


# -- signing in (only when the server needs a token) -----------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await _read_form(request)
    if not csrf_valid(request, form.get(CSRF_FIELD)):
        raise HTTPException(
            403, "this form has expired or was sent from another site: reload the page and try again"
        )
    web_settings = _settings(request)
    next_path = _safe_next(_field(form, "next", 2000))
    if not web_settings.requires_token:
        return RedirectResponse(next_path, status_code=303)
    token = _field(form, "token", 1000).strip()
    if not token_matches(web_settings.token, token):
        return page(request, "login.html", {"next": next_path, "error": "That token is not right."}, 401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        max_age=TOKEN_COOKIE_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
async def logout_submit(request: Request) -> Response:
    form = await _read_form(request)
    if not csrf_valid(request, form.get(CSRF_FIELD)):
        raise HTTPException(
            403, "this form has expired or was sent from another site: reload the page and try again"
        )
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path="/", httponly=True, samesite="strict")
    return response

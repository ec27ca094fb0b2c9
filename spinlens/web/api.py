"""The JSON API: the same analysis schema as ``spinlens analyze --format json``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from spinlens.core.settings import MAX_TEXT_CHARS
from spinlens.store.repository import MAX_PER_PAGE, LibraryQuery
from spinlens.web.security import is_authorised
from spinlens.web.service import Service

router = APIRouter(prefix="/api", tags=["api"])


def service(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


def require_write_access(request: Request) -> None:
    if not is_authorised(request, request.app.state.settings):
        raise HTTPException(
            401,
            "this server needs a token: send 'Authorization: Bearer TOKEN'",
            headers={"WWW-Authenticate": "Bearer"},
        )


ServiceDep = Annotated[Service, Depends(service)]

NON_ENGLISH_ADVICE = 'Send "allow_non_english": true to analyse it anyway'


def refuse_nul(value: str | None) -> str | None:
    """Filter values with NUL cannot match anything stored, and PostgreSQL cannot even compare them."""
    if value is not None and "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain NUL characters (\\u0000)")
    return value


def empty_is_any(value: object) -> object:
    """An empty filter means "any", for dates as for every other filter (forms send empty fields)."""
    return None if value == "" else value


# The library's text filters, shared with the library page.
SearchFilter = Annotated[
    str | None,
    Query(
        max_length=200,
        description='Words that must all be in the title or text, any case; "quoted phrases" as written.',
    ),
    AfterValidator(refuse_nul),
]
OutletFilter = Annotated[str | None, Query(max_length=255), AfterValidator(refuse_nul)]
GenreFilter = Annotated[str | None, Query(max_length=32), AfterValidator(refuse_nul)]
TechniqueFilter = Annotated[str | None, Query(max_length=64), AfterValidator(refuse_nul)]
NarrativeFilter = Annotated[str | None, Query(max_length=255), AfterValidator(refuse_nul)]
DateFilter = Annotated[date | None, BeforeValidator(empty_is_any)]


class AnalyzeRequest(BaseModel):
    """Give exactly one of ``text`` or ``url``."""

    text: str | None = Field(None, max_length=MAX_TEXT_CHARS, description="The article text.")
    url: str | None = Field(None, max_length=2048, description="An http(s) URL to fetch and extract.")
    title: str | None = Field(None, max_length=1000)
    store: bool = Field(False, description="Keep the analysis in the library.")
    allow_non_english: bool = Field(False, description="Analyse text that is not English (unreliable).")

    @model_validator(mode="after")
    def exactly_one_input(self) -> AnalyzeRequest:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of 'text' or 'url'")
        if self.url is not None and not self.url.lower().startswith(("http://", "https://")):
            raise ValueError("'url' must start with http:// or https://")
        return self


class AnalyzeResponse(BaseModel):
    article_id: int | None = Field(description="Library id when stored (or already stored), else null.")
    cached: bool = Field(description="True when the same text was already analysed by the same models.")
    analysis: dict[str, Any] = Field(description="The analysis, as documented in analysis.schema.json.")


class StoredArticle(BaseModel):
    article_id: int
    analysis_id: int
    created_at: datetime
    analysis: dict[str, Any]


class LibraryItemOut(BaseModel):
    article_id: int
    title: str
    url: str | None
    outlet: str | None
    published: str | None
    created_at: datetime
    genre: str | None
    named_share: float | None
    techniques: int
    verdict: str


class LibraryOut(BaseModel):
    items: list[LibraryItemOut]
    total: int
    page: int
    per_page: int
    pages: int


class Health(BaseModel):
    status: str
    workers: int
    queued: int
    versions: dict[str, str]


@router.post("/analyze", response_model=AnalyzeResponse, dependencies=[Depends(require_write_access)])
async def analyze(body: AnalyzeRequest, svc: ServiceDep) -> AnalyzeResponse:
    request = body.model_dump(exclude={"store"})
    outcome = await svc.analyse(request, keep=body.store, non_english_advice=NON_ENGLISH_ADVICE)
    return AnalyzeResponse(article_id=outcome.article_id, cached=outcome.cached, analysis=outcome.analysis)


def library_query(
    q: SearchFilter = None,
    outlet: OutletFilter = None,
    genre: GenreFilter = None,
    technique: TechniqueFilter = None,
    narrative: NarrativeFilter = None,
    date_from: DateFilter = None,
    date_to: DateFilter = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> LibraryQuery:
    return LibraryQuery(
        q=q or None,
        outlet=outlet or None,
        genre=genre or None,
        technique=technique or None,
        narrative=narrative or None,
        date_from=date_from,
        date_to=date_to,
        page=page,
        per_page=per_page,
    )


@router.get("/articles", response_model=LibraryOut)
def list_articles(svc: ServiceDep, query: Annotated[LibraryQuery, Depends(library_query)]) -> LibraryOut:
    page = svc.store.library(query)
    return LibraryOut(
        items=[LibraryItemOut(**{k: getattr(i, k) for k in LibraryItemOut.model_fields}) for i in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
    )


@router.get(
    "/articles/{article_id}", response_model=StoredArticle, responses={404: {"description": "Not found"}}
)
def get_article(article_id: Annotated[int, PathParam(ge=1, le=2**62)], svc: ServiceDep) -> StoredArticle:
    stored = svc.store.get_article(article_id)
    if stored is None:
        raise HTTPException(404, f"no article {article_id}")
    return StoredArticle(
        article_id=stored.article_id,
        analysis_id=stored.analysis_id,
        created_at=stored.created_at,
        analysis=stored.analysis.to_dict(),
    )


@router.delete(
    "/articles/{article_id}",
    status_code=204,
    dependencies=[Depends(require_write_access)],
    responses={404: {"description": "Not found"}},
)
def delete_article(article_id: Annotated[int, PathParam(ge=1, le=2**62)], svc: ServiceDep) -> Response:
    if not svc.store.delete_article(article_id):
        raise HTTPException(404, f"no article {article_id}")
    return Response(status_code=204)


@router.get("/stats")
def stats(svc: ServiceDep) -> dict[str, Any]:
    return svc.store.stats()


@router.get("/health", response_model=Health)
async def health(svc: ServiceDep) -> Health:
    return Health(status="ok", workers=svc.pool.workers, queued=svc.pool.queued, versions=svc.pool.versions)

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from spinlens.core.errors import InputError
from spinlens.core.model import Analysis, Article
from spinlens.store.repository import LibraryQuery, Store, clean_title, search_terms

VERSIONS = {"sourcing": "sourcing@1", "techniques": "techniques@1"}


def make_analysis(
    text: str,
    url: str | None = None,
    technique: str = "Loaded_Language",
    narrative: str | None = None,
    published: str | None = None,
) -> Analysis:
    analysis = Analysis(article=Article(text=text, url=url, title=text.split("\n")[0], published=published))
    analysis.add_finding("technique", technique, 0, 4, score=0.8, reason="r", analyser="techniques@1")
    analysis.add_label("genre", "opinion", score=0.9, reason="r", analyser="genre@1")
    if narrative:
        analysis.add_label("narrative", narrative, score=0.7, reason="r", analyser="narratives@1")
    analysis.summaries["sourcing"] = {"total": 2, "named_share": 0.5}
    analysis.verdict = "Opinion piece."
    return analysis


def postgres_url() -> str | None:
    return os.environ.get("SPINLENS_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store.open(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        url = postgres_url()
        if not url:
            pytest.skip("no PostgreSQL server: set SPINLENS_TEST_POSTGRES_URL (.ci/run starts one)")
        s = Store.open(url)
        from spinlens.store.schema import Base

        with s.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
    yield s
    s.close()


def test_store_saves_and_finds_the_same_text_as_a_cache_hit(store: Store) -> None:
    analysis = make_analysis("Wild claims\nThe text of the story.", url="https://www.example.com/a")
    first = store.save(analysis, VERSIONS)
    assert not first.cached
    again = store.save(make_analysis("Wild claims\nThe text of the story."), VERSIONS)
    assert again.cached and again.analysis_id == first.analysis_id
    hit = store.find_cached("Wild claims\nThe text of the story.", VERSIONS)
    assert hit is not None and hit.analysis.to_dict() == analysis.to_dict()
    assert store.find_cached("Wild claims\nThe text of the story.", {"sourcing": "sourcing@2"}) is None


def test_store_library_filters_and_paginates(store: Store) -> None:
    for i in range(5):
        store.save(
            make_analysis(
                f"Story {i}\nBody {i} about ports.",
                url=f"https://news{i % 2}.example/{i}",
                technique="Doubt" if i == 3 else "Loaded_Language",
                narrative="URW: Discrediting Ukraine" if i == 4 else None,
                published=f"2026-0{i + 1}-15",
            ),
            VERSIONS,
        )
    assert store.library(LibraryQuery()).total == 5
    page = store.library(LibraryQuery(per_page=2, page=3))
    assert len(page.items) == 1 and page.pages == 3
    assert store.library(LibraryQuery(outlet="news1.example")).total == 2
    assert [i.title for i in store.library(LibraryQuery(technique="Doubt")).items] == ["Story 3"]
    assert [i.title for i in store.library(LibraryQuery(narrative="URW: Discrediting Ukraine")).items] == [
        "Story 4"
    ]
    assert store.library(LibraryQuery(q="body 2")).total == 1
    assert store.library(LibraryQuery(q="100%_")).total == 0
    window = store.library(LibraryQuery(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31)))
    assert sorted(i.title for i in window.items) == ["Story 1", "Story 2"]
    assert "news0.example" in store.facets()["outlets"]


def test_store_stats_aggregate_by_outlet_and_month(store: Store) -> None:
    store.save(
        make_analysis(
            "A\nOne two three four.", url="https://a.example/1", narrative="CC: Hoax", published="2026-03-01"
        ),
        VERSIONS,
    )
    store.save(make_analysis("B\nFive six.", url="https://a.example/2", published="2026-03-09"), VERSIONS)
    stats = store.stats()
    assert stats["articles"] == 2
    (outlet,) = stats["outlets"]
    assert outlet["outlet"] == "a.example" and outlet["articles"] == 2
    assert outlet["techniques_per_1000_words"] == pytest.approx(1000 * 2 / 8, rel=1e-3)
    assert outlet["named_source_share"] == 0.5
    assert stats["narratives_by_month"] == [{"month": "2026-03", "counts": {"CC: Hoax": 1}}]


def test_store_delete_removes_article_and_its_analyses(store: Store) -> None:
    saved = store.save(make_analysis("Gone\nSoon."), VERSIONS)
    assert store.delete_article(saved.article_id)
    assert store.get_article(saved.article_id) is None
    assert not store.delete_article(saved.article_id)
    assert store.library(LibraryQuery()).total == 0


def test_store_concurrent_saves_of_one_text_store_it_once(store: Store) -> None:
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            store.save(
                make_analysis("Same text\nfor every thread." if i % 2 else f"Text {i}\nunique."), VERSIONS
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.library(LibraryQuery(per_page=100)).total == 7


UNICODE_STORY = "Zoë Müller opens a school\nZoë Müller, the mayor of Köln, opened the ÉCOLE on Monday."


@pytest.mark.parametrize("term", ["MÜLLER", "école", "KÖLN", "zoË müller", "ecole"])
def test_store_search_ignores_case_for_every_unicode_letter(store: Store, term: str) -> None:
    store.save(make_analysis(UNICODE_STORY), VERSIONS)
    store.save(make_analysis("Other story\nNothing to see."), VERSIONS)
    expected = 0 if term == "ecole" else 1  # folding case never drops accents
    assert store.library(LibraryQuery(q=term)).total == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("council bridge", {"both"}),  # every word, in any order, in the title or the text
        ("BRIDGE approved", {"both"}),
        ('"bridge plan"', {"both"}),  # a quoted phrase as written
        ('"plan bridge"', set()),
        ("council", {"both", "council"}),
        ("council ferry", set()),
        ('bridge "', {"both", "bridge"}),  # an unpaired quotation mark is ignored, not an error
        ('"  bridge   plan  "', {"both"}),
    ],
)
def test_store_search_wants_every_word_and_every_quoted_phrase(
    store: Store, query: str, expected: set[str]
) -> None:
    ids = {
        "both": store.save(make_analysis("Council vote\nThe bridge plan was approved on Monday."), VERSIONS),
        "council": store.save(make_analysis("Council vote\nA budget was approved on Monday."), VERSIONS),
        "bridge": store.save(
            make_analysis('Bridge opens\nThe span is 300 metres long, a "bridge".'), VERSIONS
        ),
    }
    found = {item.article_id for item in store.library(LibraryQuery(q=query)).items}
    assert found == {ids[name].article_id for name in expected}


def test_search_terms_read_words_and_quoted_phrases() -> None:
    assert search_terms('  Putin  "special military operation" Putin ') == [
        "Putin",
        "special military operation",
    ]
    assert search_terms('"" ') == []
    assert search_terms('say "no') == ["say", "no"]


def test_clean_title_puts_a_title_on_one_line_without_control_characters() -> None:
    assert (
        clean_title("Budget\x00report\x1b[31m red\r\n\tnext\x85line\x7f")
        == "Budget report [31m red next line"
    )
    assert clean_title(" \x00\x1b ") is None
    assert clean_title(None) is None
    assert clean_title("Zoë \u202eKöln") == "Zoë \u202eKöln"  # direction controls are left to the pages


def test_store_keeps_titles_without_control_characters_on_every_database(store: Store) -> None:
    analysis = make_analysis("Plain first line\nThe body.")
    analysis.article.title = "Budget\x00report\x1b[2J cleared"
    saved = store.save(analysis, VERSIONS)
    (item,) = store.library(LibraryQuery()).items
    assert item.article_id == saved.article_id
    assert item.title == "Budget report [2J cleared"
    # A title taken from the text's first line is cleaned alike.
    store.save(make_analysis("Line\x1bwith escape\nThe body of another story."), VERSIONS)
    assert store.library(LibraryQuery(q="another story")).items[0].title == "Line with escape"


@pytest.mark.parametrize("field", ["q", "outlet", "genre", "technique", "narrative"])
def test_store_filters_with_nul_match_nothing_instead_of_failing(store: Store, field: str) -> None:
    store.save(make_analysis("Story\nBody.", url="https://news.example/1"), VERSIONS)
    assert store.library(LibraryQuery(**{field: "a\x00b"})).total == 0


def test_store_refuses_text_with_nul_on_every_database(store: Store) -> None:
    with pytest.raises(InputError, match="NUL"):
        store.save(make_analysis("Story\nBody with \x00 in it."), VERSIONS)
    assert store.library(LibraryQuery()).total == 0


def test_store_never_hands_out_the_id_of_a_deleted_article_again(store: Store) -> None:
    first, highest = (store.save(make_analysis(f"Story {i}\nBody {i}."), VERSIONS) for i in range(2))
    assert store.delete_article(highest.article_id)
    newer = store.save(make_analysis("Story 2\nBody 2."), VERSIONS)
    assert newer.article_id > highest.article_id > first.article_id
    assert newer.analysis_id > highest.analysis_id
    assert store.has_article(newer.article_id) and not store.has_article(highest.article_id)

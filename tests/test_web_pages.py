"""The server-rendered pages: analyse (text, URL, upload), article view, library, overview, login, errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from report_samples import BRIDGE_ARTICLE, bridge_analysis
from web_support import LIGHT, csrf_token, form_files, running_client, save

from spinlens.core.settings import MAX_INPUT_BYTES
from spinlens.report import render
from spinlens.web.settings import WebSettings

ARTICLE = (
    "Harbour plan splits the council\n"
    "\n"
    "The council voted on Tuesday to sell the old harbour to a private developer. "
    '"This deal secures two hundred jobs," said Mayor Ann Lee.\n'
    "Critics called the plan reckless, according to the Coast Gazette.\n"
    "It would be a disaster for the fishing fleet, one skipper said.\n"
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("pages")
    with running_client(
        WebSettings(db_url=f"sqlite:///{folder / 'pages.db'}", workers=1, pipeline_factory=LIGHT)
    ) as c:
        yield c


@pytest.fixture(scope="module")
def bridge_id(client: TestClient) -> int:
    return save(client, bridge_analysis())


def findings_data(html: str) -> dict[str, dict[str, object]]:
    match = re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', html, re.S)
    assert match, "the article page must carry its findings for the details panel"
    data: dict[str, dict[str, object]] = json.loads(match.group(1))
    return data


# -- analyse ---------------------------------------------------------------------------------------------


def test_analyse_page_has_three_forms_with_csrf_and_states_the_limits(client: TestClient) -> None:
    client.cookies.clear()
    response = client.get("/")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "spinlens_csrf=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    token = client.cookies["spinlens_csrf"]
    html = response.text
    assert html.count(f'name="csrf_token" value="{token}"') == 3
    for form_id in ("form-text", "form-url", "form-file"):
        assert f'id="{form_id}" method="post" action="/analyse" enctype="multipart/form-data"' in html
    assert "files up to 2 MiB" in html and "text up to 500,000 characters" in html
    assert "at most 60 s" in html
    assert '<script src="/static/analyse.js" defer></script>' in html
    # The cookie is reused, not replaced, on the next page.
    assert "set-cookie" not in client.get("/library").headers


def test_form_post_without_javascript_analyses_stores_and_redirects_to_the_article(
    client: TestClient,
) -> None:
    token = csrf_token(client)
    response = client.post(
        "/analyse",
        files=form_files(csrf_token=token, source="text", text=ARTICLE, title="Harbour <b>plan</b>"),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/articles/\d+", location)
    page = client.get(location)
    assert page.status_code == 200
    assert '<h1 id="article-title">Harbour &lt;b&gt;plan&lt;/b&gt;</h1>' in page.text
    data = findings_data(page.text)
    names = {d["name"] for d in data.values()}
    assert {"loaded language", "exaggeration / minimisation"} <= names
    assert any("'reckless'" in str(d["reason"]) for d in data.values())
    # Hover: the title attribute carries label, score and reason.
    assert re.search(r'title="loaded language \(0\.75\): The word &#39;reckless&#39; is a keyword', page.text)


def test_scripted_post_gets_json_with_the_article_location(client: TestClient) -> None:
    token = csrf_token(client)
    response = client.post(
        "/analyse",
        files=form_files(csrf_token=token, source="text", text=ARTICLE + "A second edition.\n"),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["location"] == f"/articles/{body['article_id']}" and body["cached"] is False
    again = client.post(
        "/analyse",
        files=form_files(csrf_token=token, source="text", text=ARTICLE + "A second edition.\n"),
        headers={"Accept": "application/json"},
    )
    assert again.json() == {**body, "cached": True}


@pytest.mark.parametrize(
    ("name", "content", "title", "in_text"),
    [
        ("harbour.txt", ARTICLE.encode(), "Harbour plan splits the council", "sell the old harbour"),
        ("harbour.md", ("# Harbour vote\n\n" + ARTICLE).encode(), "Harbour vote", "sell the old harbour"),
        (
            "harbour.html",
            (
                "<html><head><title>Harbour sale | Coast News</title></head><body><article><p>"
                + ARTICLE.replace("\n", "</p><p>")
                + "</p></article></body></html>"
            ).encode(),
            "Harbour sale",
            "sell the old harbour",
        ),
    ],
)
def test_uploaded_files_are_read_by_their_format(
    client: TestClient, name: str, content: bytes, title: str, in_text: str
) -> None:
    token = csrf_token(client)
    # A different last line per format, so each upload is a new article rather than a cache hit.
    content = content.replace(b"one skipper said.", f"one skipper said about {name}.".encode())
    response = client.post(
        "/analyse",
        data={"csrf_token": token, "source": "file"},
        files={"file": (name, content, "application/octet-stream")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    article_id = response.json()["article_id"]
    stored = client.get(f"/api/articles/{article_id}").json()["analysis"]
    # A plain-text file has no title of its own: the page then shows its first line.
    assert f'<h1 id="article-title">{title}' in client.get(f"/articles/{article_id}").text
    assert in_text in stored["article"]["text"]
    assert "<p>" not in stored["article"]["text"]
    assert stored["article"]["meta"]["source"] == "upload" and stored["article"]["meta"]["filename"] == name


def test_upload_refuses_other_file_types_and_files_over_the_limit(client: TestClient) -> None:
    token = csrf_token(client)
    wrong = client.post(
        "/analyse",
        data={"csrf_token": token, "source": "file"},
        files={"file": ("report.pdf", b"%PDF-1.7", "application/pdf")},
    )
    assert wrong.status_code == 422
    assert "&#39;report.pdf&#39; is not a .txt, .md or .html file" in wrong.text
    big = client.post(
        "/analyse",
        data={"csrf_token": token, "source": "file"},
        files={"file": ("big.txt", b"word " * (MAX_INPUT_BYTES // 5 + 1), "text/plain")},
        headers={"Accept": "application/json"},
    )
    assert big.status_code == 413
    assert big.json()["detail"] == "the file is larger than the limit of 2 MiB"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source": "text", "text": "  "}, "paste the article&#39;s text first"),
        (
            {"source": "url", "url": "file:///etc/passwd"},
            "give a web address starting with http:// or https://",
        ),
        ({"source": "file"}, "choose a file to upload"),
    ],
)
def test_form_input_errors_are_shown_on_an_error_page(
    client: TestClient, fields: dict[str, str], message: str
) -> None:
    response = client.post("/analyse", files=form_files(csrf_token=csrf_token(client), **fields))
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert message in response.text
    assert "<h1>Cannot analyse that</h1>" in response.text


def test_non_english_text_is_refused_naming_the_forms_checkbox(client: TestClient) -> None:
    german = (
        "Der Stadtrat hat am Dienstag beschlossen, den alten Hafen an einen privaten Investor "
        "zu verkaufen. Die Opposition nannte den Plan leichtsinnig und kündigte Widerstand an."
    )
    response = client.post("/analyse", files=form_files(csrf_token=csrf_token(client), text=german))
    assert response.status_code == 422
    assert "Tick “Analyse even if it is not English” to analyse it anyway" in response.text
    assert "--allow-non-english" not in response.text
    assert "Analyse even if it is not English" in client.get("/").text  # the checkbox it names


# -- article view -------------------------------------------------------------------------------------------


def test_article_view_shows_overlapping_spans_side_panels_and_downloads(
    client: TestClient, bridge_id: int
) -> None:
    response = client.get(f"/articles/{bridge_id}")
    assert response.status_code == 200
    html = response.text
    # Overlap: Loaded_Language (finding 0) lies inside Name_Calling (finding 1), itself inside a media
    # attribution (finding 7): the shared segment lists all three, each drawn on its own lane.
    analysis = bridge_analysis()
    assert [analysis.findings[i].label for i in (0, 1, 7)] == [
        "Loaded_Language",
        "Name_Calling-Labeling",
        "media",
    ]
    lanes = {fid: int(lane) for lane, fid in re.findall(r'class="hl [^"]* lane-(\d)" data-fid="(\d+)"', html)}
    assert len({lanes["0"], lanes["1"], lanes["7"]}) == 3
    covering = [set(ids.split()) for ids in re.findall(r'data-fids="([\d ]+)"', html)]
    assert {"0", "1", "7"} in covering
    # The text between the tags is exactly the article, once the markup is removed.
    text_block = re.search(r'<div id="article" class="article-text" lang="en">(.*?)</div>', html, re.S)
    assert text_block and unescape(re.sub(r"<[^>]+>", "", text_block.group(1))) == BRIDGE_ARTICLE

    data = findings_data(html)
    reasons = {d["reason"] for d in data.values()}
    assert "The phrase is typical of name calling / labeling." in reasons
    assert len(data) == 10  # six techniques and four attributions are highlighted

    for family in ("attack-on-reputation", "simplification", "manipulative-wording"):
        assert f'data-toggle="fam-{family}"' in html
    assert 'data-toggle="src-anonymous"' in html
    # Side panels.
    assert (
        "Mayor Lena Ortiz" in html
        and "according to" in html
        and '<span class="badge src-media">media</span>' in html
    )
    assert "Protagonist (Peacemaker)" in html
    assert "Local spending" in html and "Waste of money" in html
    assert '<strong class="genre">opinion</strong>' in html and "economic" in html
    assert "an ingest warning" in html
    assert f'href="http://127.0.0.1/articles/{bridge_id}" id="permalink"' in html
    assert f'href="/articles/{bridge_id}.json" download' in html
    assert f'action="/articles/{bridge_id}/delete"' in html
    assert '<link rel="stylesheet" href="/assets/colours.css">' in html
    assert '<script src="/static/article.js" defer></script>' in html


def test_json_twin_is_the_cli_json(client: TestClient, bridge_id: int) -> None:
    response = client.get(f"/articles/{bridge_id}.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == render(bridge_analysis(), "json")


def test_html_report_download_is_an_attachment(client: TestClient, bridge_id: int) -> None:
    response = client.get(f"/articles/{bridge_id}/report.html")
    assert response.status_code == 200
    assert (
        response.headers["content-disposition"] == f'attachment; filename="spinlens-article-{bridge_id}.html"'
    )
    assert response.text == render(bridge_analysis(), "html")


def test_colours_stylesheet_covers_every_family_and_lane(client: TestClient) -> None:
    css = client.get("/assets/colours.css")
    assert css.headers["content-type"].startswith("text/css")
    for slug in (
        "attack-on-reputation",
        "justification",
        "simplification",
        "distraction",
        "call",
        "manipulative-wording",
        "other",
    ):
        assert f"body.hide-fam-{slug} .hl.t.fam-{slug}" in css.text
    assert ".hl.lane-5 { padding-bottom: 21px; }" in css.text


def test_missing_article_is_an_html_404_for_browsers(client: TestClient) -> None:
    response = client.get("/articles/987654")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "there is no article 987654 in the library" in response.text
    assert "<h1>Not found</h1>" in response.text
    invalid = client.get("/articles/0")
    assert invalid.status_code == 422 and "<h1>Not a valid article address</h1>" in invalid.text


@pytest.mark.parametrize(("path", "status"), [("/articles/987654.json", 404), ("/articles/0.json", 422)])
def test_json_download_of_a_missing_article_is_a_json_error(
    client: TestClient, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


def test_delete_form_needs_csrf_then_removes_the_article(client: TestClient) -> None:
    article_id = save(client, bridge_analysis(text=BRIDGE_ARTICLE + "Deleted later.\n"))
    token = csrf_token(client)
    refused = client.post(f"/articles/{article_id}/delete", data={"csrf_token": "x" * 43})
    assert refused.status_code == 403
    assert client.get(f"/articles/{article_id}").status_code == 200
    done = client.post(f"/articles/{article_id}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/library?deleted={article_id}"
    assert f"Article {article_id} was deleted." in client.get(done.headers["location"]).text
    assert client.get(f"/articles/{article_id}").status_code == 404


def test_library_does_not_claim_a_stored_article_was_deleted(client: TestClient, bridge_id: int) -> None:
    for value in (str(bridge_id), "x", "9" * 40):
        html = client.get("/library", params={"deleted": value}).text
        assert "was deleted" not in html


# -- library and overview ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library_ids(client: TestClient) -> list[int]:
    ids = []
    for i in range(23):
        analysis = bridge_analysis(
            text=f"Library story {i}\n" + BRIDGE_ARTICLE,
            title=f"Library story {i}",
            url=f"https://www.outlet{i % 3}.example/{i}",
            published=f"2024-{i % 12 + 1:02d}-0{i % 9 + 1}",
        )
        if i == 7:
            analysis.labels = [lab for lab in analysis.labels if lab.kind != "narrative"]
            analysis.add_label("narrative", "Harbour sell-off", score=0.5, reason="r", analyser="nar@1")
        ids.append(save(client, analysis))
    return ids


def titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/articles/\d+">([^<]+)</a></td>', html)


def test_library_searches_filters_and_paginates_keeping_the_filters(
    client: TestClient, library_ids: list[int]
) -> None:
    first = client.get("/library", params={"q": "Library story"})
    assert first.status_code == 200
    assert "23 articles match." in first.text
    assert titles(first.text) == [f"Library story {i}" for i in range(22, 2, -1)]
    assert "Page 1 of 2" in first.text
    assert 'href="/library?q=Library+story&amp;page=2" rel="next"' in first.text
    second = client.get("/library", params={"q": "Library story", "page": 2})
    assert titles(second.text) == ["Library story 2", "Library story 1", "Library story 0"]

    by_outlet = client.get("/library", params={"q": "Library story", "outlet": "outlet1.example"})
    assert sorted(titles(by_outlet.text)) == sorted(f"Library story {i}" for i in range(1, 23, 3))
    assert '<option value="outlet1.example" selected>' in by_outlet.text

    narrative = client.get("/library", params={"narrative": "Harbour sell-off"})
    assert titles(narrative.text) == ["Library story 7"]
    march = client.get(
        "/library", params={"q": "Library story", "date_from": "2024-03-01", "date_to": "2024-03-31"}
    )
    assert sorted(titles(march.text)) == ["Library story 14", "Library story 2"]
    technique = client.get("/library", params={"q": "Library story", "technique": "Whataboutism"})
    assert "0 articles match." in technique.text and titles(technique.text) == []
    assert '<option value="Repetition"' in first.text  # the technique facet offers what is stored


def test_library_page_past_the_end_says_so_and_links_to_the_first(
    client: TestClient, library_ids: list[int]
) -> None:
    html = client.get("/library", params={"q": "Library story", "page": 5}).text
    assert "23 articles match." in html and titles(html) == []
    assert "Page 5 is past the end: there are 2 pages." in html
    assert '<a href="/library?q=Library+story&amp;page=1">Go to page 1</a>' in html
    assert "Nothing stored yet" not in html


def test_library_reports_bad_filters_as_an_error_page(client: TestClient) -> None:
    response = client.get("/library", params={"date_from": "yesterday"})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "<h1>Cannot use those filters</h1>" in response.text
    assert "the &#39;from&#39; date must be a date like 2025-01-31, not &#39;yesterday&#39;" in response.text
    empty = client.get("/library", params={"q": "", "outlet": "", "date_from": "", "date_to": ""})
    assert empty.status_code == 200


def test_direction_controls_in_titles_and_list_excerpts_cannot_reorder_them(client: TestClient) -> None:
    spoof = "Budget report \u202egnp.exe"
    analysis = bridge_analysis(text=BRIDGE_ARTICLE + "Filed as \u2067attachment\u2069.\n", title=spoof)
    analysis.verdict = "Report on \u202dfile\u202c."
    article_id = save(client, analysis)
    shown = "Budget report \ufffdgnp.exe"
    library = client.get("/library").text
    assert f'<a href="/articles/{article_id}">{shown}</a>' in library
    assert "Report on \ufffdfile\ufffd." in library
    assert f">{shown}</a>" in client.get("/").text  # the recent list on the analyse page
    page = client.get(f"/articles/{article_id}").text
    assert f'<h1 id="article-title">{shown}</h1>' in page
    for character in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert character not in library
    # The stored text, and the body's offsets, keep every character.
    stored = client.get(f"/api/articles/{article_id}").json()["analysis"]
    assert stored["article"]["text"] == analysis.article.text
    assert stored["article"]["title"] == spoof


def test_overview_tables_show_the_stats_and_load_the_vendored_chart_library(
    client: TestClient, library_ids: list[int]
) -> None:
    html = client.get("/overview").text
    stats = client.get("/api/stats").json()
    assert f"{stats['articles']} stored articles" in html
    row = next(o for o in stats["outlets"] if o["outlet"] == "outlet0.example")
    cells = f'<td class="num">{row["articles"]}</td><td class="num">{row["techniques_per_1000_words"]}</td>'
    assert f"<tr><td>outlet0.example</td>{cells}" in html
    assert "Harbour sell-off" in html
    assert '<script src="/static/vendor/chart.umd.min.js" defer></script>' in html
    assert '<script src="/static/overview.js" defer></script>' in html
    assert client.get("/static/vendor/chart.umd.min.js").status_code == 200


def test_login_page_says_no_token_is_needed_on_loopback(client: TestClient) -> None:
    html = client.get("/login").text
    assert "does not need a token" in html
    assert "Sign in" not in client.get("/").text.split("<main")[0]


def test_static_scripts_never_write_html(client: TestClient) -> None:
    folder = Path(__file__).resolve().parents[1] / "spinlens/web/static"
    for script in folder.glob("*.js"):
        source = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{script.name} uses {sink}"
        assert client.get(f"/static/{script.name}").status_code == 200

"""read_input from files and standard input: formats, normalisation and every refusal."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from spinlens.core import settings
from spinlens.core.errors import FetchError, InputError
from spinlens.ingest import read_input
from spinlens.ingest.html import declared_charset, looks_like_html

PARAGRAPHS = [
    "The town council voted on Tuesday to build a new footbridge over the Miller River, "
    "ending a debate that has lasted three years.",
    '"This bridge will connect two neighbourhoods that have been cut off for decades," '
    "said Mayor Lena Ortiz after the vote.",
    "Opponents argued that the money should have been spent on road repairs instead, "
    "and some residents called the plan a reckless waste.",
]
ARTICLE = "\n".join(PARAGRAPHS) + "\n"

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council approves new bridge | Riverside Gazette</title>
<link rel="canonical" href="https://gazette.example.com/news/bridge">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<header><h1>Council approves new bridge</h1></header>
<article>{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</article>
<aside>Subscribe to our newsletter for the best local stories! Advertisement</aside>
<footer>Copyright 2024 Riverside Gazette. All rights reserved. Privacy policy. Cookie settings.</footer>
</body></html>"""


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


class CountingStream(io.BytesIO):
    """A stream that records how many bytes were asked for and returned."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


# ------------------------------------------------------------------ plain text


def test_txt_file_is_read_exactly(tmp_path: Path) -> None:
    article = read_input(write(tmp_path, "bridge.txt", ARTICLE.encode()))
    assert article.text == ARTICLE
    assert article.path == str(tmp_path / "bridge.txt")
    assert article.language == "en"
    assert article.meta["format"] == "text"
    assert article.meta["source"] == "file"


def test_crlf_and_bom_are_normalised(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode()
    article = read_input(write(tmp_path, "windows.txt", data))
    assert article.text == ARTICLE
    assert "\r" not in article.text and not article.text.startswith("\ufeff")


def test_markdown_title_is_taken_from_a_leading_heading(tmp_path: Path) -> None:
    text = "# Council approves new bridge\n\n" + ARTICLE
    article = read_input(write(tmp_path, "bridge.md", text.encode()))
    assert article.title == "Council approves new bridge"
    assert article.text == text  # Markdown is analysed as written
    assert article.meta["format"] == "markdown"


def test_invalid_utf8_is_replaced_and_reported(tmp_path: Path) -> None:
    data = ARTICLE.encode().replace(b"Mayor", b"Mayor \xff\xfe")
    article = read_input(write(tmp_path, "bad.txt", data))
    assert "Mayor \ufffd\ufffd Lena" in article.text
    assert article.meta["warnings"] == ["2 bytes were not valid UTF-8 and were replaced by U+FFFD"]


# ------------------------------------------------------------------ HTML


def test_html_file_main_text_without_boilerplate(tmp_path: Path) -> None:
    article = read_input(write(tmp_path, "bridge.html", PAGE.encode()))
    assert article.text.split("\n") == PARAGRAPHS
    for boilerplate in ("Subscribe", "Copyright", "Home", "Weather", "Cookie"):
        assert boilerplate not in article.text
    assert article.title == "Council approves new bridge"
    assert article.published == "2024-03-05"
    assert article.url == "https://gazette.example.com/news/bridge"
    assert article.meta["format"] == "html"


def test_html_with_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    article = read_input(write(tmp_path, "download.php", PAGE.encode()))
    assert article.text.split("\n") == PARAGRAPHS


def test_text_with_unknown_extension_stays_text(tmp_path: Path) -> None:
    article = read_input(write(tmp_path, "notes", ARTICLE.encode()))
    assert article.text == ARTICLE
    assert article.meta["format"] == "text"


def test_html_charset_declared_in_meta_is_used(tmp_path: Path) -> None:
    page = PAGE.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    )
    page = page.replace('"This bridge', "\u201cThis bridge").replace('decades,"', "decades,\u201d")
    article = read_input(write(tmp_path, "cp1252.html", page.encode("cp1252")))
    assert "\u201cThis bridge will connect" in article.text
    assert all(" is short (" in w for w in article.meta.get("warnings", []))  # no decoding warning


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><head><title>App</title></head>"
        "<body><script>render()</script><div id='root'></div><img src='chart.png' alt=''></body></html>",
        # trafilatura's fallback returns the menu of such a page; menus are not articles.
        "<html><head><title>Index</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
        "<li><a href='/sport'>Sport</a></li></ul></nav><footer>Copyright 2024</footer></body></html>",
    ],
    ids=["script-only", "navigation-only"],
)
def test_html_without_article_text_is_refused(tmp_path: Path, page: str) -> None:
    with pytest.raises(
        InputError, match=r"^no article text could be extracted from the HTML of .*empty\.html$"
    ):
        read_input(write(tmp_path, "empty.html", page.encode()))


def test_html_fragment_on_stdin() -> None:
    article = read_input("-", stdin=io.BytesIO(b"<p>" + PARAGRAPHS[0].encode() + b"</p>"))
    assert article.text == PARAGRAPHS[0]
    assert article.meta["format"] == "html"


def test_link_text_inside_an_article_is_kept(tmp_path: Path) -> None:
    page = PAGE.replace("Miller River", "<a href='/river'>Miller River</a>")
    assert read_input(write(tmp_path, "linked.html", page.encode())).text.split("\n") == PARAGRAPHS


def test_html_sniffing() -> None:
    assert looks_like_html(b"\xef\xbb\xbf  \n<!doctype HTML><html>")
    assert looks_like_html(b"<p>Short fragment</p>")
    assert looks_like_html(b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')
    assert not looks_like_html(b"<pre>not a document start</pre>")
    assert not looks_like_html(b"The <b>council</b> voted.")
    assert not looks_like_html(b"<abbr>x</abbr>")


def test_declared_charset_forms() -> None:
    assert declared_charset(b'<meta charset="ISO-8859-1">') == "iso-8859-1"
    assert (
        declared_charset(b"<meta http-equiv='Content-Type' content='text/html; charset=koi8-r'>") == "koi8-r"
    )
    assert declared_charset(b'<meta charset="utf-16">') == "utf-8"
    assert declared_charset(b"<p>no declaration</p>") is None


# ------------------------------------------------------------------ stdin


def test_stdin_text() -> None:
    article = read_input("-", stdin=io.BytesIO(ARTICLE.replace("\n", "\r\n").encode()))
    assert article.text == ARTICLE
    assert article.meta["source"] == "stdin"
    assert article.path is None


def test_stdin_html_is_sniffed() -> None:
    article = read_input("-", stdin=io.BytesIO(PAGE.encode()))
    assert article.text.split("\n") == PARAGRAPHS
    assert article.title == "Council approves new bridge"


def test_stdin_over_the_limit_reads_only_limit_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_INPUT_BYTES", 1000)
    stream = CountingStream(b"x " * 100_000)
    with pytest.raises(
        InputError, match=r"^standard input is larger than the input limit of 1000 bytes \(1,000 bytes\)$"
    ):
        read_input("-", stdin=stream)
    assert stream.bytes_read == 1001


def test_empty_stdin_is_refused() -> None:
    with pytest.raises(InputError, match=r"^standard input is empty$"):
        read_input("-", stdin=io.BytesIO(b""))


# ------------------------------------------------------------------ refusals


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(InputError, match=rf"^no such file: {missing}$"):
        read_input(str(missing))


@pytest.mark.parametrize("source", ["ftp://files.example.com/story.txt", "file:///etc/hostname"])
def test_other_url_schemes_are_refused_not_treated_as_paths(source: str) -> None:
    with pytest.raises(FetchError, match=r"^only http and https URLs can be fetched, not (ftp|file): "):
        read_input(source)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=rf"^{tmp_path} is a directory, not a file$"):
        read_input(str(tmp_path))


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(write(tmp_path, "secret.txt", ARTICLE.encode()))
    real_open = Path.open

    # Simulated because chmod 000 does not stop root, and tests may run as root.
    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError, match=rf"^cannot read {path}: permission denied$"):
        read_input(str(path))


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"empty\.txt is empty$"):
        read_input(write(tmp_path, "empty.txt", b""))


def test_empty_html_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"empty\.html is empty$"):
        read_input(write(tmp_path, "empty.html", b""))


def test_whitespace_only_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"blank\.txt contains only whitespace$"):
        read_input(write(tmp_path, "blank.txt", b"  \r\n\n\t \n"))


def test_binary_file(tmp_path: Path) -> None:
    data = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00"
    with pytest.raises(InputError, match=r"program\.txt looks like binary data"):
        read_input(write(tmp_path, "program.txt", data))


def test_file_over_the_byte_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_INPUT_BYTES", 2 * 1024)
    path = write(tmp_path, "huge.txt", (ARTICLE * 100).encode())
    with pytest.raises(
        InputError, match=r"huge\.txt is larger than the input limit of 2 KiB \(2,048 bytes\)$"
    ):
        read_input(path)


def test_file_over_the_byte_limit_is_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_INPUT_BYTES", 100)
    content = b"word " * 10_000
    path = Path(write(tmp_path, "huge.txt", content))
    opened: list[CountingStream] = []
    real_open = Path.open

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            opened.append(CountingStream(content))
            return opened[-1]
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting_open)
    with pytest.raises(InputError, match="larger than the input limit"):
        read_input(str(path))
    assert opened[0].bytes_read == 101


def test_file_over_the_character_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_TEXT_CHARS", 50)
    with pytest.raises(InputError, match=r"long\.txt has \d{3} characters of text; the limit is 50$"):
        read_input(write(tmp_path, "long.txt", ARTICLE.encode()))


def test_files_plain_text_headline_becomes_the_title(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Council backs harbour plan\n\nThe council voted to approve the harbour plan.\n")
    assert read_input(str(story)).title == "Council backs harbour plan"
    sentence = tmp_path / "sentence.txt"
    sentence.write_text("The council voted on Tuesday to approve the plan.\nMore text follows here.\n")
    assert read_input(str(sentence)).title is None


def test_reading_a_file_does_not_import_the_url_fetcher(tmp_path: Path) -> None:
    # httpx costs a tenth of a second of every `spinlens analyze FILE`; only URLs need it.
    # A fresh interpreter, so that other tests' imports do not hide it.
    import subprocess
    import sys

    source = tmp_path / "bridge.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    script = (
        "import sys\nfrom spinlens.ingest import read_input\n"
        f"article = read_input({str(source)!r})\n"
        "print(len(article.text), 'httpx' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(len(ARTICLE)), "False"]

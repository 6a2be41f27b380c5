"""The one reader for article files: encodings, line ends, invisible characters, layout, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.engine import build_engine
from bot.errors import KnowledgeError
from bot.reader import ONE_PER_LINE, read_article_file
from bot.router import Router

TITLE = "Council approves breakwater"
PARAGRAPHS = [
    "The harbour council approved a new breakwater made of granite blocks after winter storms damaged the pier twice.",
    "Work on the breakwater starts in March and the fishing fleet will moor at the north quay until it is finished.",
    "The mayor said the granite comes from a quarry inland and that the cost is shared with the regional port"
    " authority.",
]


def harbour(newline: str = "\n", paragraph_break: str = "\n") -> str:
    return TITLE + newline + paragraph_break.join(PARAGRAPHS) + newline


# (file name part, bytes): every way people save the same three paragraphs.
VARIANTS = {
    "lf": harbour().encode("utf-8"),
    "crlf": harbour("\r\n", "\r\n").encode("utf-8"),
    "cr": harbour("\r", "\r").encode("utf-8"),
    "bom-crlf": b"\xef\xbb\xbf" + harbour("\r\n", "\r\n").encode("utf-8"),
    "bom-lf": b"\xef\xbb\xbf" + harbour().encode("utf-8"),
    "line-separator": harbour("\u2028", "\u2028").encode("utf-8"),
    "paragraph-separator": harbour("\u2029", "\u2029").encode("utf-8"),
    "blank-lines": harbour("\n\n", "\n\n").encode("utf-8"),
    "utf16-notepad": harbour("\r\n", "\r\n").encode("utf-16"),
    "utf16-be": b"\xfe\xff" + harbour("\r\n", "\r\n").encode("utf-16-be"),
    "cp1252": harbour("\r\n", "\r\n").replace("The mayor said", "The mayor said “the”").encode("cp1252"),
    "mixed": (TITLE + "\r\n" + PARAGRAPHS[0] + "\n" + PARAGRAPHS[1] + "\r" + PARAGRAPHS[2]).encode("utf-8"),
    "trailing-spaces": harbour(" \t\n", "  \n").encode("utf-8"),
}


def knowledge(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def router_for(folder: Path) -> Router:
    return Router(build_engine(Config(knowledge_dir=folder)))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_encoding_and_line_end_reads_three_paragraphs(tmp_path: Path, variant: str) -> None:
    path = knowledge(tmp_path, {"harbour.txt": VARIANTS[variant]}) / "harbour.txt"
    read = read_article_file(path)
    assert read.text[slice(*read.title)] == TITLE
    assert [read.text[a:b].replace("“the” ", "") for a, b in read.paragraphs] == PARAGRAPHS
    assert read.layout == ONE_PER_LINE


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_citation_offsets_reproduce_from_the_file_in_two_lines(tmp_path: Path, variant: str) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": VARIANTS[variant]})
    router = router_for(folder)
    answer = router.ask("Where will the fishing fleet moor?")
    assert answer.answered
    source = answer.to_dict()["passages"][0]["source"]
    article = router.engine.articles["harbour"]
    # The README's recipe: the documented text is the file opened with the article's encoding.
    text = open(folder / "harbour.txt", encoding=article.encoding).read()  # noqa: SIM115
    assert text[source["start"] : source["end"]] == PARAGRAPHS[1]


def test_the_shipped_article_reads_as_before() -> None:
    path = Path(__file__).resolve().parent.parent / "knowledge" / "al-bukamal-2019.txt"
    read = read_article_file(path)
    assert read.encoding == "utf-8-sig" and read.line_ends == "\\n" and read.notes == ()
    assert read.text == path.read_text(encoding="utf-8")
    lines = [line for line in read.text.split("\n") if line.strip()]
    assert [read.text[a:b] for a, b in read.paragraphs] == lines[1:]


@pytest.mark.parametrize(
    "invisible",
    ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"],
    ids=["soft-hyphen", "zwsp", "zwnj", "zwj", "word-joiner", "bom-inside"],
)
def test_invisible_characters_neither_split_nor_hide_words(tmp_path: Path, invisible: str) -> None:
    text = harbour().replace("fishing", f"fish{invisible}ing")
    router = router_for(knowledge(tmp_path, {"harbour.txt": text.encode("utf-8")}))
    answer = router.ask("Where will the fishing fleet moor?")
    assert answer.answered
    assert answer.passages[0].text == PARAGRAPHS[1].replace("fishing", f"fish{invisible}ing")


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2007"], ids=["nbsp", "narrow-nbsp", "figure-space"])
def test_no_break_spaces_separate_words(tmp_path: Path, space: str) -> None:
    text = harbour().replace("fishing fleet", f"fishing{space}fleet")
    router = router_for(knowledge(tmp_path, {"harbour.txt": text.encode("utf-8")}))
    assert router.ask("Where will the fishing fleet moor?").answered


WRAPPED = """Council approves breakwater

The harbour council approved a new breakwater made of granite blocks
after winter storms damaged the pier twice. Fishermen had asked for it
for years.

Work on the breakwater starts in March and the fishing fleet will moor
at the north quay until it is finished.

The mayor said the granite comes from a quarry inland and that the cost
is shared with the regional port authority.
"""


def test_hard_wrapped_text_is_reflowed_into_paragraphs_and_said_so(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": WRAPPED.encode("utf-8")})
    read = read_article_file(folder / "harbour.txt")
    assert len(read.paragraphs) == 3
    assert read.layout.startswith("hard-wrapped at 71 columns")
    assert " ".join(read.text[slice(*read.paragraphs[1])].split()) == PARAGRAPHS[1]
    router = router_for(folder)
    answer = router.ask("Where will the fishing fleet moor?")
    assert answer.passages[0].paragraph == 2
    assert " ".join(answer.passages[0].text.split()) == PARAGRAPHS[1]
    info = router.source().to_dict()
    assert "hard-wrapped" in info["articles"][0]["layout"]


def test_wrapped_text_without_blank_lines_ends_paragraphs_at_short_lines(tmp_path: Path) -> None:
    text = WRAPPED.replace("\n\n", "\n").replace("twice. Fishermen had asked for it\nfor years.", "twice.")
    read = read_article_file(knowledge(tmp_path, {"h.txt": text.encode("utf-8")}) / "h.txt")
    assert [" ".join(read.text[a:b].split()) for a, b in read.paragraphs] == PARAGRAPHS


def test_markdown_title_and_headings(tmp_path: Path) -> None:
    text = f"# {TITLE}\n\n## Background\n\n{PARAGRAPHS[0]}\n\n*Update:* {PARAGRAPHS[1]}\n\n---\n\n{PARAGRAPHS[2]}\n"
    folder = knowledge(tmp_path, {"harbour.md": text.encode("utf-8")})
    router = router_for(folder)
    article = router.engine.articles["harbour"]
    assert article.title == TITLE
    assert [b.paragraph for b in article.blocks] == [1, 2, 3]
    assert router.ask("Where will the fishing fleet moor?").answered


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b"   \n\n  \n", "empty file"),
        (b"***\n---\n", r"empty \(no words\)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "save the document as plain text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"\x00\x01\x02\x03binary\x00\xff", "a binary file"),
        (b"Title\nText \x00here.\n", ":2: control character U\\+0000"),
        (b"Title\n\xff\xfe broken\n", ":2: not UTF-8"),
        (b"Only a title\n", "only a title line"),
        (b"Title\n(Photo credit: Staff)\n", "only a title line"),
    ],
    ids=[
        "empty",
        "blank",
        "separators",
        "pdf",
        "docx",
        "png",
        "binary",
        "nul-inside",
        "bad-bytes",
        "title",
        "credit",
    ],
)
def test_unusable_files_are_refused_in_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = knowledge(tmp_path, {"bad.txt": content}) / "bad.txt"
    if expected == "only a title line" and b"credit" in content:
        # The reader sees one paragraph; it is only a credit, so no body is left to index.
        read = read_article_file(path)
        router_error = None
        try:
            router_for(path.parent)
        except KnowledgeError as exc:
            router_error = str(exc)
        assert read.paragraphs and router_error is not None and "no paragraphs left" in router_error
        return
    with pytest.raises(KnowledgeError, match=expected) as error:
        read_article_file(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


def test_huge_files_are_refused(tmp_path: Path) -> None:
    path = knowledge(tmp_path, {"big.txt": harbour().encode("utf-8")}) / "big.txt"
    with pytest.raises(KnowledgeError, match="too large .* split it"):
        read_article_file(path, max_bytes=100)


def test_cp1252_smart_quotes_are_read_with_a_warning(tmp_path: Path) -> None:
    path = knowledge(tmp_path, {"harbour.txt": VARIANTS["cp1252"]}) / "harbour.txt"
    read = read_article_file(path)
    assert read.encoding == "cp1252" and "“the”" in read.text
    assert any("Windows-1252" in note for note in read.notes)


def test_a_one_line_article_without_title_is_one_paragraph(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"pier.txt": PARAGRAPHS[0].encode("utf-8")})
    router = router_for(folder)
    assert router.engine.articles["pier"].title == "pier"
    (passage,) = router.engine.passages
    assert passage.text == PARAGRAPHS[0] and passage.sentences[0].paragraph == 1
    assert router.ask("What is the breakwater made of?").answered


@pytest.mark.parametrize(
    ("text", "title", "paragraphs"),
    [
        ("---\ntitle: Dam opens\ndate: 2020-01-02\n---\nThe dam was finished in 1962.\n", "Dam opens", 1),
        ('---\ntitle: "Quoted title"\n---\n\nFirst paragraph.\n\nSecond paragraph.\n', "Quoted title", 2),
        ("---\nlayout: post\n---\nHeading line\nThe body.\n", "Heading line", 1),
    ],
)
def test_markdown_front_matter_is_metadata_not_the_article(text: str, title: str, paragraphs: int) -> None:
    from bot.reader import split_layout

    title_span, spans, _ = split_layout(text)
    assert title_span is not None and text[title_span[0] : title_span[1]] == title
    assert len(spans) == paragraphs
    assert not any(":" in text[start:end] for start, end in spans)


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><h1>Dam</h1><p>The dam opened.</p></body></html>",
        "Big html\n<p>The tunnel opened on <b>4 July 2001</b>.</p>\n<p>It cost &pound;40 million.</p>\n",
    ],
)
def test_html_saved_as_text_is_refused_with_the_fix(tmp_path: Path, text: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"page\.txt: HTML, not plain text; open the page in a browser"):
        read_article_file(path)


def test_prose_that_mentions_a_tag_is_still_an_article(tmp_path: Path) -> None:
    path = tmp_path / "web.txt"
    path.write_text("Web rules\nThe editor said a <p> tag starts a paragraph in HTML.\n", encoding="utf-8")
    assert len(read_article_file(path).paragraphs) == 1

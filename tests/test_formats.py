"""Articles in the kinds of file people bring: web pages, Word and OpenDocument files, e-mail,
JSON, PDF and RTF. Each is built here as the program that writes it would, then loaded, asked a
question in its own words, and cited with true offsets into its documented (extracted) text."""

from __future__ import annotations

import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.formats import looks_like_prose, read_any
from bot.knowledge import ERROR, NOTE, WARNING, load_folder

from .test_reader import PARAGRAPHS, TITLE, harbour, knowledge, router_for

QUESTION = "Where will the fishing fleet moor?"


def html_page(paragraphs: list[str] = PARAGRAPHS) -> bytes:
    """A news page as a CMS saves it: navigation, scripts, a share bar, a footer and entities."""
    marked = [
        paragraphs[0].replace("granite", "gran&shy;ite", 1),
        *paragraphs[1:-1],
        paragraphs[-1].replace(" and ", " &amp; "),
    ]
    body = "\n".join(f"      <p>{p}</p>" for p in marked)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
  <meta charset="utf-8">
  <title>{TITLE} | The Harbour Times</title>
  <meta property="og:title" content="{TITLE}">
  <meta property="article:published_time" content="2021-03-04T08:00:00Z">
  <meta name="author" content="Ana Ruiz">
  <script>window.dataLayer = [{{"event": "pageview"}}];</script>
  <style>p {{ margin: 0 }}</style>
</head><body>
  <header class="site"><a href="/">The Harbour Times</a><nav><ul><li><a href="/news">News</a></li>
    <li><a href="/sport">Sport</a></li></ul></nav></header>
  <main>
    <article>
      <header><h1>{TITLE}</h1><p class="byline">By Ana Ruiz</p></header>
{body}
      <aside><h3>Related</h3><ul><li><a href="/x">Storm closes ferry route</a></li></ul></aside>
      <div class="share"><button>Share</button></div>
    </article>
  </main>
  <footer><p>&copy; 2021 The Harbour Times. All rights reserved.</p></footer>
  <script>trackPageview();</script>
</body></html>
""".encode()


def docx(paragraphs: list[str] = PARAGRAPHS, title: str = TITLE) -> bytes:
    """A minimal Word document: a Title-styled paragraph, then runs split as Word splits them."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    runs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{p[:20]}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>'
        f"<w:t>{p[20:]}</w:t></w:r></w:p>"
        for p in paragraphs
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>'
        f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>{title}</w:t></w:r></w:p>'
        f'<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Background</w:t></w:r></w:p>'
        f"{runs}<w:p><w:r><w:delText>deleted words</w:delText></w:r></w:p><w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def odt(paragraphs: list[str] = PARAGRAPHS) -> bytes:
    """A minimal OpenDocument text: mimetype first (stored), a level-1 heading, spans and spaces."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = "".join(
        f'<text:p text:style-name="P1">{p[:30]}<text:span text:style-name="T1">{p[30:]}</text:span></text:p>'
        for p in paragraphs
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:text>'
        f'<text:h text:outline-level="1">{TITLE}</text:h>{body}'
        "<text:p>Note<text:note><text:note-body><text:p>a footnote</text:p></text:note-body></text:note></text:p>"
        "</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def eml(html_only: bool = False) -> bytes:
    message = EmailMessage()
    message["From"] = "Ana Ruiz <ana@harbour.example>"
    message["To"] = "desk@harbour.example"
    message["Subject"] = TITLE
    message["Date"] = "Thu, 04 Mar 2021 08:00:00 +0000"
    if html_only:
        message.set_content(html_page().decode(), subtype="html")
    else:
        # Quoted-printable, as mail programs send non-ASCII text.
        message.set_content("\n\n".join(PARAGRAPHS) + "\n\nAna\n", cte="quoted-printable")
        message.add_alternative("<p>HTML copy</p>", subtype="html")
    return bytes(message)


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF with one text line per entry (Helvetica), offsets in its xref table true."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 9 Tf 11 TL 40 800 Td " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1200 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def rtf() -> bytes:
    """What TextEdit saves: a font table, a colour table, and \\par between paragraphs."""
    body = "\\par\n".join([TITLE, *PARAGRAPHS]).replace("fishing", "fi\\'73hing")
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\cocoartf2709\n{\\fonttbl\\f0\\fswiss\\fcharset0 Helvetica;}\n"
        "{\\colortbl;\\red255\\green255\\blue255;}\n\\pard\\tx566\\f0\\fs24 \\cf0 " + body + "\\par\n}"
    ).encode("ascii")


def json_article(**extra: object) -> bytes:
    return json.dumps({"headline": TITLE, "paragraphs": PARAGRAPHS, "author": "Ana Ruiz", **extra}).encode()


# (file name, bytes, kind the reader reports)
KINDS = {
    "html": ("harbour.html", html_page, "html"),
    "htm-uppercase": ("harbour.HTM", html_page, "html"),
    "docx": ("harbour.docx", docx, "docx"),
    "odt": ("harbour.odt", odt, "odt"),
    "eml": ("harbour.eml", eml, "eml"),
    "eml-html-only": ("harbour.eml", lambda: eml(html_only=True), "eml"),
    "json-paragraphs": ("harbour.json", json_article, "json"),
    "json-text": (
        "harbour.json",
        lambda: json.dumps({"title": TITLE, "text": "\n\n".join(PARAGRAPHS)}).encode(),
        "json",
    ),
    "json-wordpress": (
        "harbour.json",
        lambda: json.dumps(
            {"title": {"rendered": TITLE}, "content": {"rendered": "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)}}
        ).encode(),
        "json",
    ),
    "pdf": ("harbour.pdf", lambda: pdf([TITLE, *PARAGRAPHS]), "pdf"),
    "rtf": ("harbour.rtf", rtf, "rtf"),
    "txt-uppercase": ("harbour.TXT", lambda: harbour().encode(), "text"),
    "markdown": (
        "harbour.markdown",
        lambda: f"# {TITLE}\n\n" + "\n\n".join(PARAGRAPHS).encode().decode() + "\n",
        "text",
    ),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_answers_in_its_own_words_with_true_offsets(tmp_path: Path, kind: str) -> None:
    name, build, reported = KINDS[kind]
    content = build()
    folder = knowledge(tmp_path, {name: content if isinstance(content, bytes) else content.encode()})
    router = router_for(folder)
    (article,) = router.engine.articles.values()
    assert article.id == "harbour" and article.kind == reported
    assert article.title == TITLE
    answer = router.ask(QUESTION)
    assert answer.answered
    source = answer.to_dict()["passages"][0]["source"]
    # The documented text is what `briefbot source --text harbour` prints; the citation is a slice of it.
    cited = article.text[source["start"] : source["end"]]
    assert " ".join(cited.split()) == PARAGRAPHS[1]
    assert read_any(folder / name).text == article.text  # reproducible from the file alone
    assert not [p for p in router.engine.problems if p.severity == ERROR]


def test_a_web_page_keeps_the_article_and_drops_the_chrome(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.html": html_page()})
    (article,) = load_folder(folder).articles
    assert article.text.startswith(
        TITLE + "\n\nBy Ana Ruiz\n\nThe harbour council approved a new breakwater made of gran\u00adite"
    )
    for junk in (
        "dataLayer",
        "margin",
        "News",
        "Sport",
        "Related",
        "ferry",
        "Share",
        "rights reserved",
        "trackPageview",
    ):
        assert junk not in article.text
    assert "pier twice." in article.text and "inland & that" in article.text  # &amp; decoded
    assert article.published == "2021-03-04" and article.byline == "Ana Ruiz"
    assert [article.text[b.start : b.end] for b in article.blocks][1] == PARAGRAPHS[0].replace(
        "granite", "gran\u00adite", 1
    )


def test_br_breaks_a_line_and_two_end_a_paragraph() -> None:
    from bot.formats.webpage import parse_page

    title, blocks = parse_page(
        "<html><body><h1>T</h1><div>First line<br>same paragraph<br><br>Second paragraph</div>"
        "<p>A  spaced\n  paragraph &mdash; with&nbsp;entities</p><h2>Section</h2></body></html>"
    ).article()
    assert title == "T"
    assert blocks == [
        (True, "First line\nsame paragraph"),
        (True, "Second paragraph"),
        (True, "A spaced paragraph \u2014 with\u00a0entities"),
        (False, "Section"),
    ]


def test_metadata_file_wins_over_what_the_page_says(tmp_path: Path) -> None:
    folder = knowledge(
        tmp_path, {"harbour.html": html_page(), "harbour.meta.yaml": b"published: 2020\ntitle: Own title\n"}
    )
    (article,) = load_folder(folder).articles
    assert (article.title, article.published, article.byline) == ("Own title", "2020", "Ana Ruiz")


def test_docx_headings_and_deleted_text_are_not_paragraphs(tmp_path: Path) -> None:
    (article,) = load_folder(knowledge(tmp_path, {"harbour.docx": docx()})).articles
    assert article.text.split("\n\n")[:2] == [TITLE, "Background"]
    assert "deleted words" not in article.text
    assert [article.text[b.start : b.end] for b in article.blocks] == PARAGRAPHS


def test_odt_footnotes_are_left_out(tmp_path: Path) -> None:
    (article,) = load_folder(knowledge(tmp_path, {"harbour.odt": odt()})).articles
    assert "a footnote" not in article.text and article.text.endswith("\n\nNote")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.pdf", b"%PDF-1.4\n%%EOF\n", "scan.pdf: a damaged PDF"),
        ("blank.pdf", pdf([" "]), "blank.pdf: a PDF with no text layer (a scan?); run OCR"),
        ("book.epub", None, "book.epub: a damaged EPUB (its META-INF/container.xml: syntax error"),
        ("book.azw3", b"BOOKMOBI", "book.azw3: not an article (a Kindle e-book); convert it (Calibre"),
        ("sheet.xlsx", None, "sheet.xlsx: not an article (a spreadsheet or table); copy the article's text into"),
        ("data.csv", b"a,b\n1,2\n", "data.csv: not an article (a spreadsheet or table)"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "photo.jpg: not an article (an image)"),
        ("broken.docx", b"PK\x03\x04broken", "broken.docx: a damaged zip or document file"),
        ("bundle.zip", None, "bundle.zip: not an article (an archive); unpack it"),
        (
            "old.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "old.doc: a Word 97-2003 .doc (or another old Office file); open it in Word or LibreOffice and save it",
        ),
        (
            "list.json",
            json.dumps([{"title": "a", "text": "b"}] * 2).encode(),
            "list.json: a JSON list of 2 articles; save each",
        ),
        ("bad.json", b'{"title": "x",\n "text": }', "bad.json: line 2: not valid JSON"),
        (
            "keys.json",
            b'{"title": "x", "id": 3}',
            'keys.json: JSON with no article text (keys: id, title); put the text under "text"',
        ),
        ("script", b"#!/bin/sh\nfor f in *; do echo $f; done\n", "script: text that does not read as an article"),
        (
            "notes.log",
            b"2021-03-04 12:00:01 INFO [main] started pid=42\n" * 5,
            "notes.log: text that does not read as an article",
        ),
        (
            "empty.html",
            b"<html><body><nav>Home</nav><script>app()</script></body></html>",
            "empty.html: no paragraphs of text found in this HTML file",
        ),
        ("mail.eml", b"not headers at all\n", "mail.eml: "),
        ("locked.rtf", b"{\\rtf1\\ansi }", "locked.rtf: no text in this RTF file"),
        (
            "harbour.meta.yml",
            b"title: x\n",
            "harbour.meta.yml: not read: briefbot reads .yaml, not .yml; rename it harbour.meta.yaml",
        ),
        ("orphan.timeline.yaml", b"events: []\n", "orphan.timeline.yaml: no article orphan.txt beside it"),
        ("questions.yaml", b"- q: x\n", "questions.yaml: not an article (a YAML file that is no article's"),
        ("feed.jsonl", b'{"title": "a"}\n', "feed.jsonl: not an article (JSON lines, several records); save each"),
    ],
)
def test_every_other_file_is_one_line_and_the_good_article_still_loads(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    if content is None:  # a zip of the kind its name says
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(
                {"book.epub": "META-INF/container.xml", "sheet.xlsx": "xl/workbook.xml"}.get(name, "a.txt"), "x"
            )
        content = buffer.getvalue()
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode(), name: content})
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["harbour"]
    (problem,) = [p for p in loaded.problems if p.path.name == name]
    assert problem.message.startswith(str(folder / expected.split(":")[0]))
    assert expected in problem.message and "\n" not in problem.message
    assert problem.severity in (ERROR, WARNING)
    assert router_for(folder).ask(QUESTION).answered


LITTER = [
    *(".DS_Store", "Thumbs.db", "desktop.ini", "harbour.txt~", ".harbour.txt.swp", "harbour.txt.bak"),
    *("harbour.bak2", "~$rbour.docx", ".~lock.harbour.odt#", "#harbour.txt#", "._harbour.txt", "page.crdownload"),
]


def test_litter_of_editors_and_operating_systems_is_left_out_quietly(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode(), **{name: b"\x00\x01junk" for name in LITTER}})
    (folder / "__MACOSX").mkdir()
    (folder / ".git").mkdir()
    (folder / "README.md").write_text("# Our articles\nSee the team wiki.\n", encoding="utf-8")
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["harbour"] and loaded.problems == ()


def test_a_sub_folder_is_reported_not_read(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode()})
    (folder / "archive").mkdir()
    (folder / "archive" / "old.html").write_bytes(html_page())
    (problem,) = load_folder(folder).problems
    assert problem.message == f"{folder / 'archive'}: a folder; articles in sub-folders are not read: move them up"


def test_unknown_suffix_prose_is_read_as_text_with_a_note(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.article": harbour().encode(), "README": b"Readme."})
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["harbour"]
    (note,) = loaded.problems
    assert (
        note.severity == NOTE
        and "read as plain text (.article is no kind briefbot knows); rename it .txt" in note.message
    )


def test_content_decides_over_a_wrong_suffix_with_a_warning(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"page.txt": html_page(), "report.txt": docx()})
    loaded = load_folder(folder)
    assert {a.id: a.kind for a in loaded.articles} == {"page": "html", "report": "docx"}
    messages = sorted(p.message for p in loaded.problems if p.severity == WARNING)
    assert messages == [
        f"{folder / 'page.txt'}: HTML content in a .txt file: read as HTML; rename it .html",
        f"{folder / 'report.txt'}: DOCX content in a .txt file: read as DOCX; rename it .docx",
    ]


def test_a_saved_page_name_with_spaces_gets_an_id(tmp_path: Path) -> None:
    name = "Council approves breakwater – Harbour Times (2).html"
    folder = knowledge(tmp_path, {name: html_page()})
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["Council-approves-breakwater-Harbour-Times-2"]
    (note,) = loaded.problems
    assert (
        note.severity == NOTE
        and "name its metadata Council-approves-breakwater-Harbour-Times-2.meta.yaml" in note.message
    )


def test_two_files_of_one_id_keep_the_plain_text_one(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.html": html_page(), "harbour.txt": harbour().encode()})
    loaded = load_folder(folder)
    assert [(a.id, a.kind) for a in loaded.articles] == [("harbour", "text")]
    (problem,) = loaded.problems
    assert "harbour.html: same article id as harbour.txt" in problem.message


def test_a_folder_of_only_refused_files_names_the_first(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"a.csv": b"a,b\n"})
    with pytest.raises(KnowledgeError, match=r"a\.csv: not an article \(a spreadsheet or table\)"):
        load_folder(folder)


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        (harbour(), True),
        ("def f(x):\n    return {x: [1, 2]}  # a dict\n" * 3, False),
        ("id;name;value\n1;breakwater;3\n2;quay;4\n" * 3, False),
        ("Short.", False),
    ],
)
def test_prose_is_told_from_code_and_data(text: str, prose: bool) -> None:
    assert looks_like_prose(text) is prose


def test_source_text_prints_the_documented_text_and_every_front_end_reports_the_refused(tmp_path: Path) -> None:
    from .test_cli import briefbot

    folder = knowledge(tmp_path, {"harbour.html": html_page(), "data.csv": b"a,b\n1,2\n"})
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\nretrieval:\n  mode: bm25\n", encoding="utf-8")
    printed = briefbot("--config", str(config), "source", "--text", "harbour")
    assert printed.returncode == 0 and printed.stdout == load_folder(folder).articles[0].text
    as_json = json.loads(briefbot("--config", str(config), "source", "--text", "harbour", "--json").stdout)
    assert as_json["kind"] == "html" and as_json["text"] == printed.stdout
    missing = briefbot("--config", str(config), "source", "--text", "nope")
    assert missing.returncode != 0 and "no article 'nope'; the articles are: harbour" in missing.stderr
    refused = (
        f"{folder / 'data.csv'}: not an article (a spreadsheet or table); "
        "copy the article's text into a .txt file, or remove it from the knowledge folder"
    )
    asked = briefbot("--config", str(config), "ask", QUESTION)
    assert asked.returncode == 0 and "north quay" in asked.stdout and refused in asked.stderr
    assert refused in briefbot("--config", str(config), "source").stdout
    checked = briefbot("--config", str(config), "check")
    assert checked.returncode == 1 and refused in checked.stdout
    assert (
        "text of an HTML page, 4 paragraphs; `briefbot source --text harbour` prints the text cited" in checked.stdout
    )


def test_a_corrupt_compressed_document_is_one_line_not_a_crash(tmp_path: Path) -> None:
    content = bytearray(docx())
    start = content.index(b"word/document.xml") + len(b"word/document.xml") + 4  # into the deflated data
    content[start : start + 16] = b"\xff" * 16
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode(), "report.docx": bytes(content)})
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["harbour"]
    (problem,) = loaded.problems
    assert problem.message.startswith(f"{folder / 'report.docx'}: ") and "\n" not in problem.message
    assert "damaged" in problem.message or "cannot be read" in problem.message


def test_a_page_nested_past_any_real_depth_still_reads() -> None:
    from bot.formats.webpage import MAX_DEPTH, parse_page

    depth = MAX_DEPTH * 20
    page = "<html><body>" + "<div>" * depth + "<p>Deep text.</p>" + "</span>" * 50 + "</div>" * depth + "<p>After.</p>"
    assert parse_page(page).article() == (None, [(True, "Deep text."), (True, "After.")])


def test_markdown_with_inline_html_is_read_as_markdown(tmp_path: Path) -> None:
    text = f'# {TITLE}\n\n<div align="center"><img src="pier.jpg"><br></div>\n\n' + "\n\n".join(PARAGRAPHS) + "\n"
    (article,) = load_folder(knowledge(tmp_path, {"harbour.md": text.encode()})).articles
    assert article.kind == "text" and article.text == text
    assert [article.text[b.start : b.end] for b in article.blocks][-3:] == PARAGRAPHS


def test_an_email_saved_as_text_is_read_as_an_email(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": eml()})
    loaded = load_folder(folder)
    (article,) = loaded.articles
    assert (article.kind, article.title, article.published) == ("eml", TITLE, "2021-03-04")
    (warning,) = loaded.problems
    assert "an e-mail in a .txt file: read as e-mail (Subject the title); rename it .eml" in warning.message


def test_a_page_saved_complete_brings_its_files_folder_quietly(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"Harbour Times.html": html_page(), "harbour.txt:Zone.Identifier": b"[ZoneTransfer]"})
    (folder / "Harbour Times_files").mkdir()
    (folder / "Harbour Times_files" / "style.css").write_bytes(b"p{}")
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["Harbour-Times"]
    assert [p.severity for p in loaded.problems] == [NOTE]  # the id note, nothing about the folder


def test_share_bars_related_links_and_cookie_banners_are_chrome() -> None:
    from bot.formats.webpage import parse_page

    page = (
        "<body><div class='cookie-banner'>We use cookies.</div><div role='navigation'>Home</div>"
        "<div class='story has-comments'><p>The story.</p><div class='share-bar'>Share this</div>"
        "<section id='comments'><p>First!</p></section><ul class='related-links'><li>Other story</li></ul></div>"
        "<address>Harbour Road 1</address></body>"
    )
    assert parse_page(page).article() == (None, [(True, "The story."), (True, "Harbour Road 1")])


@pytest.mark.parametrize(
    ("declared", "encoded", "expected"),
    [
        ("iso-8859-1", "cp1252", "“the” café"),  # Latin-1 pages are Windows-1252, as browsers read them
        ("utf-16", "utf-8", "“the” café"),  # a UTF-16 declaration in 8-bit bytes is ignored
        ("shift_jis", "shift_jis", "港の防波堤"),
    ],
)
def test_a_page_is_decoded_as_browsers_decode_it(tmp_path: Path, declared: str, expected: str, encoded: str) -> None:
    page = f'<html><head><meta charset="{declared}"><title>T</title></head><body><p>Mayor said {expected}.</p></body>'
    (article,) = load_folder(knowledge(tmp_path, {"page.html": page.encode(encoded)})).articles
    assert f"Mayor said {expected}." in article.text


def test_a_pdf_wrapped_at_its_page_width_is_re_flowed(tmp_path: Path) -> None:
    import textwrap

    # Three sentences a paragraph, as a report's paragraphs run on; wrapped at 115 columns.
    long = [f"{p} {p.replace('The ', 'Then the ', 1)} {p.replace('The ', 'So the ', 1)}" for p in PARAGRAPHS]
    lines = [TITLE] + [line for p in long for line in textwrap.wrap(p, 115)]
    assert max(len(line) for line in lines) > 100  # wider than typed text is ever wrapped
    (article,) = load_folder(knowledge(tmp_path, {"harbour.pdf": pdf(lines)})).articles
    assert article.layout.startswith("text of a PDF (pypdf), hard-wrapped at")
    assert [" ".join(article.text[b.start : b.end].split()) for b in article.blocks] == long

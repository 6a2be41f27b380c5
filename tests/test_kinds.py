"""Kinds of file beyond the first ones: feeds, EPUB, subtitles, Safari web archives, light markup
(AsciiDoc, Org, reStructuredText, TOML front matter), legacy and mark-less encodings, more line
breaks, and files that are no article (XML data, other office files, links that lead nowhere)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.formats import read_any
from bot.knowledge import ERROR, WARNING, load_folder

from .fuzz_corpus import atom, epub, other_story, rss, srt, story, vtt, webarchive
from .test_reader import PARAGRAPHS, TITLE, harbour, knowledge, router_for

RNG_SEED = 5


def stories(count: int) -> list:
    rng = random.Random(RNG_SEED)
    return [story(rng), *(other_story(rng, n) for n in range(count - 1))]


def cited(path: Path) -> list[str]:
    article = read_any(path)
    return [article.text[a:b] for a, b in article.paragraphs]


def test_a_feed_of_several_items_is_one_article_holding_every_story(tmp_path: Path) -> None:
    three = stories(3)
    folder = knowledge(tmp_path, {"news.rss": rss(three)})
    article = read_any(folder / "news.rss")
    assert article.kind == "feed" and article.text[slice(*article.title)] == "Harbour Times"
    assert cited(folder / "news.rss") == [p for s in three for p in s.paragraphs]
    for s in three:  # each item's title is in the text as a heading, never cited
        assert s.title in article.text
    answer = router_for(folder).ask("When will the ferry timetable start?")
    source = answer.to_dict()["passages"][0]["source"]
    assert article.text[source["start"] : source["end"]] == three[1].paragraphs[1]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_feed_of_one_item_is_that_story_with_its_date_author_and_link(tmp_path: Path, kind: str) -> None:
    (one,) = stories(1)
    name = f"story.{kind}"
    (article,) = load_folder(knowledge(tmp_path, {name: rss([one]) if kind == "rss" else atom(one)})).articles
    assert (article.title, article.published) == (one.title, "2021-03-04")
    assert [article.text[b.start : b.end] for b in article.blocks] == list(one.paragraphs)
    assert article.byline == (None if kind == "rss" else "Ana Ruiz")
    assert article.url == ("https://news.example/0" if kind == "rss" else "https://news.example/a")


def test_an_epub_is_read_in_spine_order_with_its_title_and_author(tmp_path: Path) -> None:
    (one,) = stories(1)
    (article,) = load_folder(knowledge(tmp_path, {"book.epub": epub(one)})).articles
    assert (article.kind, article.title, article.byline, article.published) == (
        "epub",
        one.title,
        "Ana Ruiz",
        "2021-03-04",
    )
    assert [article.text[b.start : b.end] for b in article.blocks] == list(one.paragraphs)


@pytest.mark.parametrize("build", [srt, vtt], ids=["srt", "vtt"])
def test_subtitles_are_a_transcript_without_numbers_timings_or_tags(tmp_path: Path, build: object) -> None:
    (one,) = stories(1)
    name = "clip.srt" if build is srt else "clip.vtt"
    path = knowledge(tmp_path, {name: build(one)}) / name  # type: ignore[operator]
    article = read_any(path)
    assert cited(path) == list(one.paragraphs)
    assert "-->" not in article.text and "<v" not in article.text and "WEBVTT" not in article.text
    assert article.title is None  # titled by its .meta.yaml or file name


def test_a_safari_web_archive_is_read_as_the_page_inside(tmp_path: Path) -> None:
    (one,) = stories(1)
    (article,) = load_folder(knowledge(tmp_path, {"saved.webarchive": webarchive(one)})).articles
    assert (article.kind, article.title, article.url) == ("webarchive", one.title, "https://news.example/breakwater")
    assert [article.text[b.start : b.end] for b in article.blocks] == list(one.paragraphs)


MARKUP = {
    "story.adoc": (
        f"= {TITLE}\nAna Ruiz <ana@news.example>\n:revdate: 2021-03-04\n\n{PARAGRAPHS[0]}\n\n== Background\n\n"
        f"[quote]\n{PARAGRAPHS[1]}\n\nimage::pier.jpg[Pier]\n// editor: check figures\n{PARAGRAPHS[2]}\n"
    ),
    "story.org": (
        f"#+TITLE: {TITLE}\n#+AUTHOR: Ana Ruiz\n\n* Story\n:PROPERTIES:\n:ID: 12\n:END:\n{PARAGRAPHS[0]}\n"
        f"** Background\n#+BEGIN_QUOTE\n{PARAGRAPHS[1]}\n#+END_QUOTE\n# a comment\n{PARAGRAPHS[2]}\n"
    ),
    "story.rst": (
        f"{'=' * len(TITLE)}\n{TITLE}\n{'=' * len(TITLE)}\n\n:Author: Ana Ruiz\n\n"
        ".. image:: pier.jpg\n   :alt: Pier\n\n"
        f"{PARAGRAPHS[0]}\n\nBackground\n----------\n\n{PARAGRAPHS[1]}\n\n.. note:: the quarry\n\n{PARAGRAPHS[2]}\n"
    ),
    "story.md": f'+++\ntitle = "{TITLE}"\ndraft = false\n+++\n\n![Pier](pier.jpg)\n\n'
    + "\n\nSubhead\n-------\n\n".join(PARAGRAPHS)
    + "\n\n[plan]: https://x.example/plan\n",
}


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_light_markup_headings_directives_and_attributes_are_not_paragraphs(tmp_path: Path, name: str) -> None:
    path = knowledge(tmp_path, {name: MARKUP[name].encode()}) / name
    article = read_any(path)
    assert article.kind == "text" and article.text == MARKUP[name]  # the file is the documented text
    assert article.text[slice(*article.title)] == TITLE
    assert cited(path) == PARAGRAPHS


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-32-le", "utf-32-le"), ("utf-32-be", "utf-32-be")],
)
def test_utf16_and_utf32_without_a_mark_are_read_and_cited_as_opened(tmp_path: Path, codec: str, expected: str) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour("\r\n", "\r\n").encode(codec)})
    loaded = load_folder(folder)
    (article,) = loaded.articles
    assert article.encoding == expected
    (warning,) = loaded.problems
    assert warning.severity == WARNING and "without a byte-order mark; re-save it as UTF-8" in warning.message
    source = router_for(folder).ask("Where will the fishing fleet moor?").to_dict()["passages"][0]["source"]
    text = open(folder / "harbour.txt", encoding=article.encoding).read()  # noqa: SIM115 - the README's recipe
    assert text[source["start"] : source["end"]] == PARAGRAPHS[1]


@pytest.mark.parametrize(
    ("codec", "name", "text"),
    [
        ("shift_jis", "cp932", "港の防波堤\n市議会は新しい防波堤の建設を承認した。冬の嵐で桟橋が二度損傷した。\n"),
        ("gb18030", "gb18030", "港口防波堤\n市议会批准了新的防波堤。冬季风暴两次损坏了码头。\n"),
        (
            "cp1251",
            "cp1251",
            "Совет одобрил волнолом\nГородской совет одобрил новый волнолом из гранита после штормов.\n",
        ),
    ],
)
def test_a_legacy_encoding_is_detected_and_said(tmp_path: Path, codec: str, name: str, text: str) -> None:
    folder = knowledge(tmp_path, {"local.txt": text.encode(codec)})
    loaded = load_folder(folder)
    (article,) = loaded.articles
    assert (article.encoding, article.text) == (name, text)
    (warning,) = loaded.problems
    assert warning.message.endswith(f"local.txt: not UTF-8: read as {name} (detected); re-save it as UTF-8 to be sure")


def test_utf8_with_pasted_windows_1252_quotes_names_their_lines(tmp_path: Path) -> None:
    content = harbour().replace("The mayor said", "The mayor said “yes”").encode()
    content = content.replace("”".encode(), b"\x94") + "Café owners agreed.\n".encode()
    folder = knowledge(tmp_path, {"harbour.txt": content})
    loaded = load_folder(folder)
    (article,) = loaded.articles
    assert "The mayor said “yes” the granite" in article.text and "Café owners" in article.text
    (warning,) = loaded.problems
    assert "mixed encodings: UTF-8 with Windows-1252 bytes on line 4; read each as its encoding" in warning.message


def test_nul_padding_at_the_end_is_left_out_with_a_warning(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode() + bytes(4096)})
    loaded = load_folder(folder)
    assert [a.text for a in loaded.articles] == [harbour()]
    assert "4096 NUL bytes at the end (a cut-off save?) left out" in loaded.problems[0].message


@pytest.mark.parametrize("newline", ["\x85", "\x0b", "\x0c", "\n\x0c"], ids=["nel", "vtab", "formfeed", "lf-formfeed"])
def test_nel_vertical_tab_and_form_feed_break_lines(tmp_path: Path, newline: str) -> None:
    path = knowledge(tmp_path, {"harbour.txt": harbour(newline, newline).encode()}) / "harbour.txt"
    article = read_any(path)
    assert article.text[slice(*article.title)] == TITLE and cited(path) == PARAGRAPHS


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("records.xml", b'<?xml version="1.0"?>\n<records><r/></records>', "XML data (its root element is <records>)"),
        ("broken.rss", b"<rss><channel><item><title>x</item>", "broken.rss:1: a news feed that is not well-formed XML"),
        (
            "empty.atom",
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
            "a news feed with no items",
        ),
        ("notes.txt.gz", b"\x1f\x8b\x08\x00" + bytes(12), "not an article (an archive); unpack it"),
        ("notes.txt", b"\x1f\x8b\x08\x00" + bytes(12), "gzip-compressed; gunzip it (`gunzip -k FILE`)"),
    ],
)
def test_what_is_no_article_is_one_line_with_the_fix(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode(), name: content})
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["harbour"]
    (problem,) = loaded.problems
    assert problem.message.startswith(str(folder / name)) and expected in problem.message


def test_links_that_loop_or_lead_nowhere_are_one_line_each(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode()})
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    (folder / "same.txt").symlink_to("harbour.txt")  # a second name for one article: loaded once
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["harbour"]
    messages = {p.path.name: p.message for p in loaded.problems}
    assert set(messages) == {"a.txt", "b.txt", "gone.txt", "same.txt"}
    assert messages["gone.txt"].endswith("gone.txt: a link to nowhere.txt, which does not exist; fix or remove it")
    assert "same text as harbour.txt" in messages["same.txt"]


def test_an_unreadable_file_is_one_line_naming_the_permissions(tmp_path: Path, monkeypatch) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode(), "locked.txt": harbour().encode()})
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "locked.txt":  # as chmod 000 does to anyone but root
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    loaded = load_folder(folder)
    assert [a.id for a in loaded.articles] == ["harbour"]
    (problem,) = loaded.problems
    assert problem.severity == ERROR
    assert (
        problem.message
        == f"{folder / 'locked.txt'}: cannot read (Permission denied); check the file's permissions (skipped)"
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode()})
    with (folder / "dump.txt").open("wb") as handle:
        handle.truncate(10_500_000)  # sparse: no 10 MB written
    (problem,) = load_folder(folder).problems
    assert (
        problem.message
        == f"{folder / 'dump.txt'}: too large (10.5 MB; the limit is 10 MB); split it into several articles (skipped)"
    )


def test_other_office_files_renamed_as_documents_say_what_they_are(tmp_path: Path) -> None:
    from .fuzz_corpus import office_zip

    folder = knowledge(
        tmp_path, {"harbour.txt": harbour().encode(), "a.odt": office_zip("odp"), "b.docx": office_zip("pages")}
    )
    messages = sorted(p.message for p in load_folder(folder).problems if p.severity == ERROR)
    assert messages == [
        f"{folder / 'a.odt'}: an OpenDocument presentation (.odp), not an article; "
        "save the article's text as .txt (skipped)",
        f"{folder / 'b.docx'}: an Apple Pages, Numbers or Keynote document; "
        "export it (File > Export To) as .docx or .txt (skipped)",
    ]


def test_read_any_never_raises_anything_but_a_one_line_knowledge_error(tmp_path: Path) -> None:
    rng = random.Random(9)
    (one,) = stories(1)
    for name, content in (("f.rss", rss([one])), ("b.epub", epub(one)), ("w.webarchive", webarchive(one))):
        for cut in sorted(rng.sample(range(1, len(content)), 12)):
            path = knowledge(tmp_path, {name: content[:cut]}) / name
            try:
                read_any(path)
            except KnowledgeError as exc:
                assert "\n" not in str(exc) and str(exc).startswith(str(path))


def test_odd_file_names_stay_one_printable_line_and_never_stop_a_command(tmp_path: Path) -> None:
    from .test_cli import briefbot

    folder = knowledge(tmp_path, {"harbour.txt": harbour().encode(), "bad\nname.pdf": b"%PDF-1.4\n%%EOF\n"})
    (folder / os.fsdecode(b"caf\xe9.rtf")).write_bytes(b"{\\rtf1\\ansi }")  # a name that is not UTF-8
    loaded = load_folder(folder)
    assert sorted(p.message for p in loaded.problems) == [
        f"{folder}/bad\\nname.pdf: a damaged PDF (startxref not found); "
        "open it and copy its text into a .txt file (skipped)",
        f"{folder}/caf\\xe9.rtf: no text in this RTF file; copy the article's text into a .txt file (skipped)",
    ]
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\nretrieval:\n  mode: bm25\n", encoding="utf-8")
    for verb in (["check"], ["source"], ["ask", "Where will the fishing fleet moor?"]):
        result = briefbot("--config", str(config), *verb, env={"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""})
        assert "Traceback" not in result.stderr and result.returncode in (0, 1), (verb, result.stderr)
        lines = (result.stdout + result.stderr).splitlines()
        assert any("bad\\nname.pdf: a damaged PDF" in line for line in lines), verb
        assert any("caf\\xe9.rtf: no text in this RTF file" in line for line in lines), verb


def test_an_xhtml_page_declaring_its_encoding_in_the_xml_declaration_is_read_without_a_warning(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Digue'
        "</title></head><body><p>Le maire a approuvé la digue à Noël.</p></body></html>"
    )
    loaded = load_folder(knowledge(tmp_path, {"digue.xhtml": page.encode("latin-1")}))
    (article,) = loaded.articles
    assert (article.encoding, loaded.problems) == ("cp1252", ())
    assert article.text == "Digue\n\nLe maire a approuvé la digue à Noël."


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Ana Ruiz, Staff Reporter", "Ana Ruiz"),
        ("BY ANA RUIZ | Harbour Times", "Ana Ruiz"),
        ("By Ana Ruiz and Tom de Lee", "Ana Ruiz and Tom de Lee"),
        ("By March the work on the pier had stopped twice", None),
        ("By 2030 the port will handle twice the ships.", None),
    ],
)
def test_a_byline_under_the_title_is_metadata_not_a_paragraph(tmp_path: Path, line: str, name: str | None) -> None:
    folder = knowledge(tmp_path, {"harbour.txt": f"{TITLE}\n{line}\n{chr(10).join(PARAGRAPHS)}\n".encode()})
    (article,) = load_folder(folder).articles
    paragraphs = [article.text[b.start : b.end] for b in article.blocks]
    assert (article.byline, paragraphs) == ((name, PARAGRAPHS) if name else (None, [line, *PARAGRAPHS]))


def test_the_metadata_file_byline_wins_over_the_one_in_the_text(tmp_path: Path) -> None:
    folder = knowledge(
        tmp_path,
        {
            "harbour.txt": f"{TITLE}\nBy Ana Ruiz\n{chr(10).join(PARAGRAPHS)}\n".encode(),
            "harbour.meta.yaml": b"byline: Harbour Times staff\n",
        },
    )
    (article,) = load_folder(folder).articles
    assert article.byline == "Harbour Times staff" and len(article.blocks) == len(PARAGRAPHS)


@pytest.mark.parametrize(
    ("label", "codec", "words"),
    [("x-mac-roman", "mac_roman", "café crème"), ("gb2312", "gbk", "港口防波堤"), ("windows-874", "cp874", "ท่าเรือ")],
)
def test_charset_labels_browsers_know_decode_the_page(tmp_path: Path, label: str, codec: str, words: str) -> None:
    page = f'<html><head><meta charset="{label}"><title>T</title></head><body><p>Harbour {words} news.</p></body>'
    loaded = load_folder(knowledge(tmp_path, {"page.htm": page.encode(codec)}))
    (article,) = loaded.articles
    assert f"Harbour {words} news." in article.text and loaded.problems == ()


def test_a_file_opening_with_its_first_paragraph_has_no_title_line_and_loses_no_paragraph(tmp_path: Path) -> None:
    first = (
        "The harbour council approved a new breakwater made of granite blocks after winter storms damaged "
        "the pier twice, and the mayor called it overdue."
    )
    folder = knowledge(tmp_path, {"untitled.txt": "\n".join([first, *PARAGRAPHS[1:]]).encode()})
    (article,) = load_folder(folder).articles
    assert article.title == "untitled"  # the file name, as with any article without a title
    assert [article.text[b.start : b.end] for b in article.blocks] == [first, *PARAGRAPHS[1:]]
    answer = router_for(folder).ask("What did the mayor call the breakwater?")
    assert answer.to_dict()["passages"][0]["text"] == first


def test_a_long_headline_without_a_full_stop_is_still_the_title(tmp_path: Path) -> None:
    headline = (
        "Harbour council approves new granite breakwater after two winter storms damage the old pier twice in a month"
    )
    path = knowledge(tmp_path, {"long.txt": "\n".join([headline, *PARAGRAPHS]).encode()}) / "long.txt"
    article = read_any(path)
    assert article.text[slice(*article.title)] == headline and cited(path) == PARAGRAPHS


def test_a_page_its_scripts_draw_is_read_from_its_json_ld_article_body(tmp_path: Path) -> None:
    import json

    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Harbour Times"},
            {
                "@type": "NewsArticle",
                "headline": TITLE,
                "datePublished": "2021-03-04T08:00:00Z",
                "author": [{"@type": "Person", "name": "Ana Ruiz"}],
                "articleBody": "\n\n".join(PARAGRAPHS),
            },
        ],
    }
    page = (
        '<html><head><script type="application/ld+json">' + json.dumps(data) + "</script></head>"
        '<body><div id="root"></div><script>render()</script></body></html>'
    )
    (article,) = load_folder(knowledge(tmp_path, {"app.html": page.encode()})).articles
    assert (article.title, article.published, article.byline) == (TITLE, "2021-03-04", "Ana Ruiz")
    assert [article.text[b.start : b.end] for b in article.blocks] == PARAGRAPHS
    assert article.layout.startswith("text of an HTML page (its JSON-LD articleBody)")


def test_a_utf8_file_with_a_damaged_byte_is_read_with_the_line_named(tmp_path: Path) -> None:
    content = f"{TITLE}\nThe café owners agreed.\n{PARAGRAPHS[0]}\n".encode().replace(b"agreed", b"agr\xffeed")
    loaded = load_folder(knowledge(tmp_path, {"harbour.txt": content}))
    (article,) = loaded.articles
    assert "The café owners agr\ufffdeed." in article.text and article.encoding == "utf-8 (damaged bytes replaced)"
    (warning,) = loaded.problems
    assert "bytes that are not UTF-8 on line 2 (a damaged file?) read as \ufffd; fix them" in warning.message


def test_a_legacy_encoding_with_chance_utf8_pairs_is_not_taken_for_damaged_utf8(tmp_path: Path) -> None:
    text = "港口防波堤\n市议会批准了新的防波堤。冬季风暴两次损坏了码头，工程将于三月开始。\n" * 3
    (article,) = load_folder(knowledge(tmp_path, {"gb.txt": text.encode("gb18030")})).articles
    assert article.text == text and article.encoding == "gb18030"

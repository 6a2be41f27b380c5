"""A small, seeded corpus of files of the kinds and layouts people drop into a knowledge folder.

``corpus(seed)`` returns :class:`Case` s: a file name, its bytes (or a symlink target), and what
must happen to it: read as an article whose paragraphs hold ``needle``, left out quietly as litter,
or reported in one line holding ``needle`` (the fix). Every article gets its own words (place names
drawn from the seed) so no two are the same text. ``mutations(cases, seed)`` damages the articles'
bytes (truncation, flipped bytes, NUL runs) for a no-crash run. Everything is built in memory from
the standard library in well under a second.
"""

from __future__ import annotations

import gzip
import io
import json
import plistlib
import random
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ARTICLE, PROBLEM, LITTER = "article", "problem", "litter"

_PLACES = (  # noqa: SIM905 - as a list literal, 54 names take 54 lines
    "Harbourtown Marlow Kestrel Aldwick Brennan Corvel Dunmore Eskdale Fenwick Galloway Hartland "
    "Ivybridge Jesmond Kilburn Lanark Morvern Newquay Oakham Penrith Quorn Redruth Selby Tavistock "
    "Ulverston Ventnor Wetherby Yarmouth Zennor Alnwick Bodmin Clovelly Dornoch Elgin Falmouth Girvan "
    "Helston Irvine Jedburgh Keswick Looe Minehead Nairn Oban Padstow Ramsey Seaton Troon Uig Wells "
    "Whitby Yeovil Ayr Bude Cromer"
).split()


@dataclass(frozen=True)
class Case:
    """One file of the corpus and what must become of it.

    ``expect`` is ARTICLE, PROBLEM or LITTER. For an article ``needle`` is a sentence one of its
    paragraphs holds (white space folded) and ``title`` its title when the file says it; for a
    problem ``needle`` is a phrase its one line holds. ``link`` makes the file a symlink to that
    path (relative to the folder) instead of writing ``content``.
    """

    name: str
    content: bytes
    expect: str
    needle: str = ""
    title: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: tuple[str, str, str]

    @property
    def needle(self) -> str:
        return self.paragraphs[1]


def story(rng: random.Random) -> Story:
    """A three-paragraph news story about a made-up town: its own words for each case."""
    town, quarry, quay = rng.sample(_PLACES, 3)
    month = rng.choice(["March", "April", "June", "October"])
    return Story(
        f"{town} council approves breakwater",
        (
            f"The {town} council approved a new breakwater of granite blocks after winter storms damaged the pier.",
            f"Work starts in {month} and the fishing fleet will moor at the {quay} quay until it is finished.",
            f"The mayor said the granite comes from the {quarry} quarry and the port authority shares the cost.",
        ),
    )


_OTHER_STORIES = (
    (
        "{a} ferry resumes after storm",
        "The ferry between {a} and {b} resumed sailing on Tuesday after a week of gales kept it in port.",
        "Its operator said two crossings a day will run until the spring timetable starts in {m}.",
        "Passengers stranded in {c} were offered hotel rooms and a refund of their tickets.",
    ),
    (
        "{a} school opens new library",
        "A library with twelve thousand books opened at the {a} primary school, paid for by a local trust.",
        "Pupils from {b} will share it on weekday afternoons, the head teacher told parents in {m}.",
        "The building was designed by an architect from {c} and uses timber from nearby forests.",
    ),
)


def other_story(rng: random.Random, number: int) -> Story:
    """A story worded unlike :func:`story` (feeds hold unrelated stories, not near-copies)."""
    a, b, c = rng.sample(_PLACES, 3)
    m = rng.choice(["May", "July", "September"])
    title, *paragraphs = (line.format(a=a, b=b, c=c, m=m) for line in _OTHER_STORIES[number])
    return Story(title, (paragraphs[0], paragraphs[1], paragraphs[2]))


def plain(s: Story, newline: str = "\n") -> str:
    return newline.join([s.title, *s.paragraphs]) + newline


def _zip(members: dict[str, str | bytes], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(stored_first, members[stored_first], zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def epub(s: Story) -> bytes:
    """An EPUB 3 as Calibre or Pocket writes one article: two chapters in spine order."""
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{s.title}</dc:title><dc:creator>Ana Ruiz</dc:creator><dc:date>2021-03-04</dc:date></metadata>"
        '<manifest><item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="css" href="style.css" media-type="text/css"/></manifest>'
        '<spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>'
    )

    def chapter(paragraphs: tuple[str, ...]) -> str:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (
            '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>x</title></head><body>{body}</body></html>"
        )

    return _zip(
        {
            "mimetype": "application/epub+zip",
            "META-INF/container.xml": (
                '<?xml version="1.0"?><container version="1.0" '
                'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                "</rootfiles></container>"
            ),
            "OEBPS/content.opf": opf,
            "OEBPS/text/one.xhtml": chapter(s.paragraphs[:2]),
            "OEBPS/text/two.xhtml": chapter(s.paragraphs[2:]),
            "OEBPS/style.css": "p{}",
        },
        stored_first="mimetype",
    )


def webarchive(s: Story) -> bytes:
    """What Safari's File > Save As > Web Archive writes: a binary property list around the page."""
    page = f"<html><head><title>{s.title}</title></head><body><h1>{s.title}</h1>" + "".join(
        f"<p>{p}</p>" for p in s.paragraphs
    )
    resource = {
        "WebResourceData": page.encode("utf-8"),
        "WebResourceMIMEType": "text/html",
        "WebResourceTextEncodingName": "UTF-8",
        "WebResourceURL": "https://news.example/breakwater",
        "WebResourceFrameName": "",
    }
    return plistlib.dumps({"WebMainResource": resource, "WebSubresources": []}, fmt=plistlib.FMT_BINARY)


def rss(stories: list[Story]) -> bytes:
    items = "".join(
        f"<item><title>{s.title}</title><link>https://news.example/{n}</link>"
        f"<pubDate>Thu, 04 Mar 2021 08:00:00 +0000</pubDate>"
        f"<description>{escape(''.join(f'<p>{p}</p>' for p in s.paragraphs))}</description></item>"
        for n, s in enumerate(stories)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour Times</title>'
        f"<link>https://news.example/</link><description>Local news</description>{items}</channel></rss>"
    ).encode()


def atom(s: Story) -> bytes:
    content = escape("".join(f"<p>{p}</p>" for p in s.paragraphs))
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Times</title>'
        f"<entry><title>{s.title}</title><updated>2021-03-04T08:00:00Z</updated><author><name>Ana Ruiz</name></author>"
        f'<link href="https://news.example/a"/><content type="html">{content}</content></entry></feed>'
    ).encode()


def srt(s: Story) -> bytes:
    """Subtitles: each sentence split over two cues, as a video's captions are."""
    cues = []
    second = 1
    for paragraph in s.paragraphs:
        words = paragraph.split()
        half = len(words) // 2
        for part in (" ".join(words[:half]), " ".join(words[half:])):
            cues.append((second, part))
            second += 3
        second += 4  # a pause between sentences
    return "\r\n".join(
        f"{n}\r\n00:00:{t:02d},000 --> 00:00:{t + 2:02d},500\r\n{text}\r\n" for n, (t, text) in enumerate(cues, 1)
    ).encode()


def vtt(s: Story) -> bytes:
    cues = "\n".join(
        f"00:{n:02d}:00.000 --> 00:{n:02d}:05.000 line:90%\n<v Reporter>{p}</v>\n" for n, p in enumerate(s.paragraphs)
    )
    return f"WEBVTT - {s.title}\n\nNOTE made by hand\n\n{cues}".encode()


def pdf_pages(
    pages: list[list[tuple[float, float, str]]], width: int = 595, height: int = 842, font: str = "Helvetica"
) -> bytes:
    """A PDF whose page n draws each (x, y, text) of ``pages[n]`` in 10-pt ``font``, in list order."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(len(pages)))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} >>",
    ]
    for number, runs in enumerate(pages):
        stream = " ".join(f"BT /F1 10 Tf 1 0 0 1 {x} {y} Tm ({escape(text)}) Tj ET" for x, y, text in runs)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Contents {5 + 2 * number} 0 R"
            " /Resources << /Font << /F1 3 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
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


def pdf_columns(s: Story) -> bytes:
    """Two pages under a running head and over a page number; the first in two columns drawn row by
    row across them."""
    head = (50.0, 810.0, "THE HARBOUR TIMES  March 4")
    lefts, rights = textwrap.wrap(s.paragraphs[0], 40), textwrap.wrap(s.paragraphs[1], 40)
    first = [head, (50.0, 780.0, s.title)]
    for row in range(max(len(lefts), len(rights))):
        for x, lines in ((50.0, lefts), (310.0, rights)):
            if row < len(lines):
                first.append((x, 750.0 - 12 * row, lines[row]))
    second = [head, *((50.0, 750.0 - 12 * n, line) for n, line in enumerate(textwrap.wrap(s.paragraphs[2], 80)))]
    return pdf_pages([[*first, (290.0, 30.0, "- 1 -")], [*second, (290.0, 30.0, "- 2 -")]])


def office_zip(kind: str) -> bytes:
    members = {
        "pptx": {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"},
        "xlsx": {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"},
        "odp": {"mimetype": "application/vnd.oasis.opendocument.presentation", "content.xml": "<c/>"},
        "ods": {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<c/>"},
        "pages": {"Index/Document.iwa": b"\x00\x01", "preview.jpg": b"\xff\xd8\xff"},
    }[kind]
    return _zip(members, stored_first="mimetype" if "mimetype" in members else None)


def corpus(seed: int = 0) -> list[Case]:
    """Every case, in a fixed order; ``seed`` draws each article's words."""
    rng = random.Random(seed)
    cases: list[Case] = []

    def article(name: str, build: object, title: bool = True, **kw: object) -> None:
        s = story(rng)
        content = build(s)  # type: ignore[operator]
        if isinstance(content, str):
            content = content.encode("utf-8")
        cases.append(Case(name, content, ARTICLE, s.needle, s.title if title else None, **kw))  # type: ignore[arg-type]

    # --- light markup ---
    article(
        "front-yaml.md",
        lambda s: (
            f'---\ntitle: "{s.title}"\ndate: 2021-03-04\ntags: [port, council]\n---\n\n'
            f"![Pier at dawn](img/pier.jpg)\n\n{s.paragraphs[0]} See [the plan](https://x.example/plan).\n\n"
            f"## Background\n\n{s.paragraphs[1]}\n\n| Item | Cost |\n|---|---|\n| Granite | 3m |\n\n"
            f"{s.paragraphs[2]}[^1]\n\n"
            "[^1]: Figures from the port authority.\n"
        ),
    )
    article(
        "front-toml.md",
        lambda s: f'+++\ntitle = "{s.title}"\ndate = 2021-03-04\n+++\n\n' + "\n\n".join(s.paragraphs) + "\n",
    )
    article("setext.markdown", lambda s: f"{s.title}\n{'=' * len(s.title)}\n\n" + "\n\n".join(s.paragraphs) + "\n")
    article(
        "restructured.rst",
        lambda s: (
            f"{'=' * len(s.title)}\n{s.title}\n{'=' * len(s.title)}\n\n:Author: Ana Ruiz\n:Date: 2021-03-04\n\n"
            f".. image:: pier.jpg\n   :alt: The pier\n\n{s.paragraphs[0]}\n\nBackground\n----------\n\n"
            + "\n\n".join(s.paragraphs[1:])
            + "\n"
        ),
    )
    article(
        "ascii.adoc",
        lambda s: (
            f"= {s.title}\nAna Ruiz <ana@news.example>\n:revdate: 2021-03-04\n:toc:\n\n"
            f"{s.paragraphs[0]}\n\n== Background\n\n[NOTE]\n{s.paragraphs[1]}\n\nimage::pier.jpg[Pier]\n\n"
            f"// an editor's comment\n{s.paragraphs[2]}\n"
        ),
    )
    article(
        "orgmode.org",
        lambda s: (
            f"#+TITLE: {s.title}\n#+AUTHOR: Ana Ruiz\n#+DATE: <2021-03-04 Thu>\n\n* Story\n"
            f":PROPERTIES:\n:ID: 1234\n:END:\n{s.paragraphs[0]}\n\n** Background\n"
            + "\n\n".join(s.paragraphs[1:])
            + "\n"
        ),
    )
    # --- feeds and pages ---
    article("one-item.rss", lambda s: rss([s]))
    many = [story(rng), other_story(rng, 0), other_story(rng, 1)]
    cases.append(Case("three-items.xml", rss(many), ARTICLE, many[2].needle, "Harbour Times"))
    article("entry.atom", atom)
    article(
        "page.xhtml",
        lambda s: (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
            '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            f"<title>{s.title}</title></head><body><h1>{s.title}</h1>"
            + "".join(f"<p>{p}</p>" for p in s.paragraphs)
            + "<p>Caf&eacute; &nbsp;&mdash; &#8220;quoted&#8221;</p></body></html>"
        ),
    )
    for charset, codec, accent in (
        ("windows-1251", "cp1251", "Совет"),
        ("x-mac-roman", "mac_roman", "café"),
        ("koi8-r", "koi8_r", "Совет"),
        ("bogus-charset", "utf-8", "café"),
    ):
        article(
            f"odd-{codec}.htm",
            lambda s, charset=charset, codec=codec, accent=accent: (
                f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
                f"<title>{s.title}</title></head><body><h1>{s.title}</h1><p>{accent} {s.paragraphs[0]}</p>"
                + "".join(f"<p>{p}</p>" for p in s.paragraphs[1:])
                + "</body></html>"
            ).encode(codec),
        )
    article(
        "script-drawn.html",
        lambda s: (
            '<html><head><script type="application/ld+json">'
            + json.dumps({"@type": "NewsArticle", "headline": s.title, "articleBody": "\n".join(s.paragraphs)})
            + '</script></head><body><div id="app"></div></body></html>'
        ),
    )
    article(
        "untitled.txt",
        lambda s: " ".join([s.paragraphs[0], s.paragraphs[0]]) + "\n" + "\n".join(s.paragraphs[1:]),
        title=False,
    )
    article("captions.srt", srt, title=False)
    article("webvtt.vtt", vtt, title=False)
    article("book.epub", epub)
    article("columns.PDF", pdf_columns)
    article("saved.webarchive", webarchive)
    # --- names ---
    article("no-suffix", plain)
    article("SHOUTING.TXT", plain)
    article("UpperMd.MD", lambda s: f"# {s.title}\n\n" + "\n\n".join(s.paragraphs))
    article(
        "mixedcase.Html", lambda s: f"<html><body><h1>{s.title}</h1>" + "".join(f"<p>{p}</p>" for p in s.paragraphs)
    )
    article("upper.JSON", lambda s: json.dumps({"headline": s.title, "paragraphs": list(s.paragraphs)}))
    # --- encodings ---
    for label, encode in (
        ("utf16le-bom", lambda t: t.encode("utf-16")),
        ("utf16le-nobom", lambda t: t.encode("utf-16-le")),
        ("utf16be-nobom", lambda t: t.encode("utf-16-be")),
        ("utf32-bom", lambda t: t.encode("utf-32")),
        ("utf32le-nobom", lambda t: t.encode("utf-32-le")),
        ("cp1252", lambda t: t.replace("The mayor said", "The mayor said “here”").encode("cp1252")),
        ("latin1", lambda t: t.replace("The mayor", "Le maire, José,").encode("latin-1")),
    ):
        article(f"enc-{label}.txt", lambda s, encode=encode: encode(plain(s, "\r\n")))
    for label, codec, title, body in (
        (
            "shift-jis",
            "shift_jis",
            "港の防波堤",
            "市議会は新しい防波堤の建設を承認した。冬の嵐で桟橋が二度損傷した後のことである。",
        ),
        ("gb18030", "gb18030", "港口防波堤", "市议会批准了新的防波堤。冬季风暴两次损坏了码头，工程将于三月开始。"),
        (
            "cp1251",
            "cp1251",
            "Совет одобрил волнолом",
            "Городской совет одобрил новый волнолом из гранита после штормов.",
        ),
        (
            "euc-kr",
            "euc_kr",
            "항구 방파제",
            "시의회는 새로운 방파제를 승인했다. 겨울 폭풍으로 부두가 두 번 손상되었다.",
        ),
    ):
        town = rng.choice(_PLACES)
        text = f"{title}\n{body}\n{town} {body}\n"
        cases.append(Case(f"enc-{label}.txt", text.encode(codec), ARTICLE, f"{town} {body}", title))
    article(
        "enc-mixed.txt",
        lambda s: (
            plain(s)
            .replace("The mayor said", "The mayor said “here”")
            .encode("utf-8")
            .replace(b"\xe2\x80\x9d", b"\x94")
        ),
    )
    # --- line ends and invisible characters ---
    for label, newline in (("crlf", "\r\n"), ("cr", "\r"), ("ls", "\u2028"), ("ps", "\u2029"), ("nel", "\u0085")):
        article(f"eol-{label}.txt", lambda s, newline=newline: plain(s, newline))
    article("formfeed.txt", lambda s: f"{s.title}\n{s.paragraphs[0]}\n\f{s.paragraphs[1]}\n\f\n{s.paragraphs[2]}\n")
    article("vtab.txt", lambda s: f"{s.title}\v{s.paragraphs[0]}\v{s.paragraphs[1]}\v{s.paragraphs[2]}\v")
    article(
        "invisible.txt",
        lambda s: (
            plain(s)
            .replace("council", "coun\u200bcil")
            .replace("granite", "\u202agranite\u202c")
            .replace("quarry", "\u2066quarry\u2069")
        ),
    )
    article("nul-padded.txt", lambda s: plain(s).encode() + b"\x00" * 300)
    # --- layout ---
    article(
        "hyphenated.txt",
        lambda s: s.title + "\n\n" + _hard_wrap(s.paragraphs[0], 48) + "\n\n" + "\n\n".join(s.paragraphs[1:]) + "\n",
    )
    article("capitals.txt", lambda s: s.title.upper() + "\n" + "\n".join(s.paragraphs) + "\n", title=False)
    article(
        "byline.txt",
        lambda s: (
            f"{s.title}\nBy Ana Ruiz, Staff Reporter\nHARBOURTOWN, March 4 (Reuters) - {s.paragraphs[0]}\n"
            + "\n".join(s.paragraphs[1:])
            + "\n[1] Port authority figures, 2021.\n"
        ),
    )
    # --- links ---
    s = story(rng)
    cases.append(Case("outside-link.txt", b"", ARTICLE, s.needle, s.title, link="../outside/real.txt"))
    cases.append(Case("_outside_real", plain(s).encode(), LITTER))  # the link's target, written outside
    cases += [
        Case("dangling.txt", b"", PROBLEM, "which does not exist; fix or remove it", link="gone.txt"),
        Case("loop-a.txt", b"", PROBLEM, "a link that leads round in a loop (to loop-b.txt)", link="loop-b.txt"),
        Case("loop-b.txt", b"", PROBLEM, "a link that leads round in a loop (to loop-a.txt)", link="loop-a.txt"),
    ]
    # --- refused, each with how to convert it ---
    cases += [
        Case("table.csv", b"town,cost\nMarlow,3\n", PROBLEM, "a spreadsheet or table"),
        Case("table.tsv", b"town\tcost\nMarlow\t3\n", PROBLEM, "a spreadsheet or table"),
        Case("slides.pptx", office_zip("pptx"), PROBLEM, "presentation"),
        Case("sheet.xlsx", office_zip("xlsx"), PROBLEM, "spreadsheet"),
        Case("slides.odp", office_zip("odp"), PROBLEM, "presentation"),
        Case("slides-renamed.odt", office_zip("odp"), PROBLEM, "presentation"),
        Case("sheet-renamed.docx", office_zip("ods"), PROBLEM, "spreadsheet"),
        Case("apple.pages", office_zip("pages"), PROBLEM, "export it"),
        Case("pages-renamed.docx", office_zip("pages"), PROBLEM, "Pages"),
        Case("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, PROBLEM, ".docx"),
        Case("bundle.zip", _zip({"a.txt": "x"}), PROBLEM, "unpack it"),
        Case("paper.tex", b"\\documentclass{article}\n\\begin{document}\nText.\n\\end{document}\n", PROBLEM, "pandoc"),
        Case("mail.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), PROBLEM, "an Outlook message"),
        Case("print.xps", _zip({"FixedDocSeq.fdseq": "<x/>"}), PROBLEM, "a print or scan format"),
        Case("story.txt.gz", gzip.compress(b"Title\nText.\n", mtime=0), PROBLEM, "unpack it"),
        Case("gz-renamed.txt", gzip.compress(b"Title\nText.\n", mtime=0), PROBLEM, "gunzip"),
        Case("data.xml", b'<?xml version="1.0"?><records><r id="1"/></records>', PROBLEM, "XML data"),
        Case("nul-inside.txt", b"Title\nThe council \x00approved it.\n", PROBLEM, ":2: control character U+0000"),
        Case("empty.txt", b"", PROBLEM, "empty"),
        Case("blank.md", b" \n\t\r\n  \n", PROBLEM, "empty"),
        Case("bom-only.txt", b"\xef\xbb\xbf\r\n", PROBLEM, "empty"),
        Case("utf16-blank.txt", "  \n".encode("utf-16"), PROBLEM, "empty"),
    ]
    # --- litter: left out without a word ---
    for name in (
        ".story.txt.swp", "story.txt.swo", "~$story.docx", ".~lock.story.odt#", ".DS_Store", "Thumbs.db",
        "story.txt.bak", "page.html~", "story.tmp", "page.html.crdownload", "page.html.part", "4913",
        ".#story.txt", "#story.txt#", "page.html.download", "~WRL0001.tmp", "story.txt.sb-ab12cd-Qx9z",
    ):  # fmt: skip
        cases.append(Case(name, b"\x00junk", LITTER))
    return cases


def _hard_wrap(text: str, width: int) -> str:
    """Wrap at ``width`` columns, hyphenating the word that crosses it as typesetters do."""
    lines, line = [], ""
    for word in text.split():
        if len(line) + 1 + len(word) <= width:
            line = f"{line} {word}".strip()
            continue
        room = width - len(line) - 2
        if room >= 3 and len(word) - room >= 3 and word.isalpha():
            lines.append(f"{line} {word[:room]}-")
            line = word[room:]
        else:
            lines.append(line)
            line = word
    return "\n".join([*lines, line])


def write(folder: Path, cases: list[Case]) -> None:
    """Lay ``cases`` out in ``folder`` (a link's target in ``folder/../outside``)."""
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    for case in cases:
        if case.name == "_outside_real":
            (outside / "real.txt").write_bytes(case.content)
        elif case.link is not None:
            (folder / case.name).symlink_to(case.link)
        elif case.name.endswith(".download"):
            (folder / case.name).mkdir()  # Safari's partial download is a folder
        else:
            (folder / case.name).write_bytes(case.content)


def mutations(cases: list[Case], seed: int = 0, per_case: int = 2) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of damaged copies of every article case: cut short, bytes flipped, NULs inserted."""
    rng = random.Random(seed)
    for case in cases:
        if case.expect != ARTICLE or not case.content:
            continue
        stem, dot, suffix = case.name.rpartition(".")
        for number in range(per_case):
            data = bytearray(case.content)
            how = rng.choice(("cut", "flip", "nul", "splice"))
            at = rng.randrange(len(data))
            if how == "cut":
                del data[at:]
            elif how == "flip":
                for _ in range(rng.randint(1, 12)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            elif how == "nul":
                data[at:at] = b"\x00" * rng.randint(1, 64)
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(8, 200)))
            name = f"{stem or suffix}-{how}{number}{dot}{suffix if stem else ''}"
            yield name, bytes(data)

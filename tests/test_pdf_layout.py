"""PDF pages as printed: columns, running heads and feet, page numbers and hyphenation never end up
inside a paragraph. Each PDF is written here byte by byte, its text placed where a layout program
would place it, in the drawing order some programs use (row by row across the columns)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.formats import read_any
from bot.formats.pdf import drop_running_lines, join_pages

from .fuzz_corpus import pdf_pages
from .test_reader import knowledge, router_for

HEADER = "THE HARBOUR TIMES    Thursday, March 4, 2021"
STORY = [
    "The harbour council approved a new breakwater made of granite blocks after winter storms damaged the pier"
    " twice, and the work will take two years.",
    "Work on the breakwater starts in March and the fishing fleet will moor at the north quay until it is"
    " finished, the harbour master said on Monday.",
    "The mayor said the granite comes from a quarry inland and that the cost is shared with the regional port"
    " authority, which has agreed to pay half.",
    "Residents of the old town asked the council to keep the promenade open during the work, and the council"
    " agreed to build a footbridge over the site.",
    "Ferry passengers will board at the south pier from April, where a temporary ticket office opens beside"
    " the lifeboat station.",
    "The contractor, a family firm from the valley, promised to hire apprentices from the technical college"
    " of the town for the masonry.",
]


def column(paragraphs: list[str], width: int) -> list[str]:
    """Lines of a column: paragraphs wrapped at ``width`` characters, a blank line between them."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, width), ""]
    return lines[:-1]


def two_column_pages(row_by_row: bool) -> bytes:
    """Two pages of two columns under a running head, a page number at the foot of each."""
    pages = []
    for number, (left, right) in enumerate([(STORY[0:2], STORY[2:4]), (STORY[4:5], STORY[5:6])], start=1):
        runs = [(50.0, 810.0, HEADER)]
        if number == 1:
            runs.append((50.0, 780.0, "Council approves breakwater"))
        lefts, rights = column(left, 45), column(right, 45)
        placed_left = [(50.0, 750.0 - 12 * i, line) for i, line in enumerate(lefts) if line]
        placed_right = [(310.0, 750.0 - 12 * i, line) for i, line in enumerate(rights) if line]
        if row_by_row:
            by_row = sorted(placed_left + placed_right, key=lambda run: (-run[1], run[0]))
            runs += by_row
        else:
            runs += placed_left + placed_right
        runs.append((280.0, 30.0, f"Page {number} of 2"))
        pages.append(runs)
    return pdf_pages(pages)


def paragraphs_of(path: Path) -> list[str]:
    article = read_any(path)
    return [" ".join(article.text[a:b].split()) for a, b in article.paragraphs]


def test_columns_drawn_row_by_row_are_read_column_by_column(tmp_path: Path) -> None:
    for row_by_row in (True, False):
        path = knowledge(tmp_path, {"columns.pdf": two_column_pages(row_by_row)}) / "columns.pdf"
        article = read_any(path)
        assert article.text[slice(*article.title)] == "Council approves breakwater"
        assert paragraphs_of(path) == STORY, row_by_row


def test_running_heads_and_page_numbers_are_not_in_the_text(tmp_path: Path) -> None:
    path = knowledge(tmp_path, {"columns.pdf": two_column_pages(True)}) / "columns.pdf"
    text = read_any(path).text
    assert "HARBOUR TIMES" not in text and "Page 1" not in text and "of 2" not in text


def single_column_pages(lines_per_page: int = 9) -> bytes:
    """Three pages of one column, each with a head, a foot and its number; a word hyphenated at a
    line end, and a sentence running on from one page to the next."""
    lines = ["Council approves breakwater", ""] + column(STORY, 70)
    lines = [line.replace("breakwater made", "break-\nwater made") for line in lines]
    lines = [part for line in lines for part in line.split("\n")]
    pages = []
    for number in range(0, len(lines), lines_per_page):
        body = lines[number : number + lines_per_page]
        runs = [(50.0, 810.0, "Harbour Times | Local news")]
        runs += [(50.0, 760.0 - 14 * i, line) for i, line in enumerate(body) if line]
        runs += [(50.0, 40.0, "Harbour Times - all rights reserved"), (520.0, 40.0, str(number // lines_per_page + 1))]
        pages.append(runs)
    return pdf_pages(pages)


def test_heads_feet_and_numbers_of_a_one_column_pdf_are_dropped_and_words_rejoined(tmp_path: Path) -> None:
    path = knowledge(tmp_path, {"story.pdf": single_column_pages()}) / "story.pdf"
    article = read_any(path)
    assert "Harbour Times" not in article.text and "rights reserved" not in article.text
    assert paragraphs_of(path) == STORY
    answer = router_for(path.parent).ask("What is the breakwater made of?")
    source = answer.to_dict()["passages"][0]["source"]
    assert "breakwater made of granite blocks" in " ".join(article.text[source["start"] : source["end"]].split())


def test_running_lines_recur_on_other_pages_while_the_body_does_not() -> None:
    pages = [
        ["The Times  page 1", "Title", "First line of the story.", "3"],
        ["The Times  page 2", "More of the story here.", "iv"],
        ["Lone page with its own first line.", "Page 3 of 3"],
    ]
    assert drop_running_lines(pages) == [
        ["Title", "First line of the story."],
        ["More of the story here."],
        ["Lone page with its own first line."],
    ]


def test_a_hyphen_at_a_line_end_joins_the_word_and_a_sentence_runs_across_pages() -> None:
    pages = [["The council ap-", "proved the plan and the work"], ["starts in March.", "Next."], ["New page."]]
    assert join_pages(pages) == "The council approved\nthe plan and the work\nstarts in March.\nNext.\n\nNew page."


def letter_by_letter(columns: list[tuple[float, list[str]]]) -> bytes:
    """One page in Courier (each letter 6 pt wide at 10 pt) drawn a letter at a time, spaces left as
    gaps, row by row across ``columns`` ((x, lines) each), as some converters draw text."""
    runs = [(50.0, 780.0, "Council approves breakwater")]
    for row in range(max(len(lines) for _, lines in columns)):
        for x, lines in columns:
            if row < len(lines):
                runs += [(x + 6 * i, 750.0 - 12 * row, ch) for i, ch in enumerate(lines[row]) if ch != " "]
    return pdf_pages([runs], font="Courier")


def test_text_drawn_letter_by_letter_is_split_into_columns_only_where_there_are_columns(tmp_path: Path) -> None:
    one = letter_by_letter([(50.0, column(STORY[:2], 80))])
    two = letter_by_letter([(50.0, column(STORY[:2], 38)), (300.0, column(STORY[2:4], 38))])
    folder = knowledge(tmp_path, {"one.pdf": one, "two.pdf": two})
    assert paragraphs_of(folder / "one.pdf") == STORY[:2]
    assert paragraphs_of(folder / "two.pdf") == STORY[:4]

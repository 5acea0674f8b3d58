"""Values as COPY's text format takes them: a text with tabs or backslashes stays one field."""

from __future__ import annotations

from datetime import date, datetime

from sinks.copying import copy_lines, copy_text


def test_null_is_backslash_n_and_an_empty_text_stays_empty() -> None:
    assert copy_text(None) == "\\N"
    assert copy_text("") == ""


def test_tabs_newlines_and_backslashes_are_escaped_so_a_field_stays_one_field() -> None:
    assert copy_text("a\tb\nc\\N\r") == "a\\tb\\nc\\\\N\\r"


def test_lists_and_dicts_are_json_and_dates_iso() -> None:
    assert copy_text([100, 301]) == "[100, 301]"
    assert copy_text({"a": "x\ty"}) == '{"a": "x\\\\ty"}'
    assert copy_text(date(2025, 1, 2)) == "2025-01-02"
    assert copy_text(datetime(2025, 1, 2, 3, 4, 5, 6000)) == "2025-01-02T03:04:05.006000"
    assert copy_text(7) == "7"


def test_values_of_other_types_are_their_text_escaped_as_any_text() -> None:
    class Tagged(str):
        pass

    assert copy_text(Tagged("a\tb")) == "a\\tb"
    assert copy_text(True) == "True"
    assert copy_text("bell\x07") == "bell\x07"


def test_copy_lines_gives_one_tab_separated_line_per_row_in_column_order() -> None:
    rows = [{"a": "x", "b": None}, {"a": "y\nz", "b": [1]}]
    assert copy_lines(rows, ["b", "a"]) == "\\N\tx\n[1]\ty\\nz\n"


def test_a_batch_whose_texts_need_no_escape_writes_its_other_values_as_copy_text_does() -> None:
    rows = [{"a": "x", "b": None, "c": [100, 301]}, {"a": "é", "b": date(2025, 1, 2), "c": []}]
    assert copy_lines(rows, ["a", "b", "c"]) == "x\t\\N\t[100, 301]\né\t2025-01-02\t[]\n"


def test_one_text_to_escape_in_a_batch_escapes_it_and_leaves_the_others_alike() -> None:
    rows = [{"a": "x\\y"}, {"a": "plain"}]
    assert copy_lines(rows, ["a"]) == "x\\\\y\nplain\n"

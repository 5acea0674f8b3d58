"""The README's topic map is generated from raas/topics.py, the one source of truth."""

from __future__ import annotations

from pathlib import Path

from raas.service_users import acl_table_markdown
from raas.topics import topic_map_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_topic_map_is_the_generated_one() -> None:
    text = README.read_text()
    begin, end = "<!-- topic-map:begin -->\n", "<!-- topic-map:end -->"
    between = text[text.index(begin) + len(begin) : text.index(end)]
    assert between == topic_map_markdown(), "regenerate the README topic map from raas/topics.py"


def test_the_readme_names_the_two_commands() -> None:
    text = README.read_text()
    assert "make run" in text and "make test" in text


def test_the_readme_acl_table_is_the_generated_one() -> None:
    text = README.read_text()
    begin, end = "<!-- acl-table:begin -->\n", "<!-- acl-table:end -->"
    between = text[text.index(begin) + len(begin) : text.index(end)]
    assert between == acl_table_markdown(), "regenerate the README ACL table from service_users"

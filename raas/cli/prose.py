"""Help texts written as wrapped docstrings, shown as flowing paragraphs.

typer 0.29's rich help keeps single line breaks inside a paragraph, so a docstring wrapped at 100
columns prints ragged lines. `command` registers a function with its docstring unwrapped: lines
of one paragraph joined, paragraphs (blank line apart) kept.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])


def prose(doc: str | None) -> str:
    """The docstring with each paragraph on one line."""
    paragraphs = inspect.cleandoc(doc or "").split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def command(app: typer.Typer, name: str) -> Callable[[F], F]:
    """`@app.command(name)`, with the docstring as flowing help."""

    def register(function: F) -> F:
        app.command(name, help=prose(function.__doc__))(function)
        return function

    return register

"""Python source written line by line, then made into a function: what the generated codecs
(`picksource`, `readsource`, `writesource`) share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class PySource:
    """Lines of Python at an indent, fresh names, and the constants the lines refer to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {}
        self.indent = 0
        self.names = 0
        self.space = ""  # the enclosing Avro namespace, for names written without one

    def fullname(self, node: Any) -> str:
        name: str = node["name"]
        return name if "." in name else f"{node.get('namespace', self.space)}.{name}"

    def named(self, name: str, names: dict[str, Any]) -> Any:
        """The named type `name` stands for, seen from the current namespace; None if none."""
        return names.get(name if "." in name else f"{self.space}.{name}") or names.get(name)

    @contextmanager
    def inside(self, record: Any) -> Iterator[None]:
        """Within `record`'s namespace: the names it writes without one are looked up there."""
        outer, self.space = self.space, self.fullname(record).rpartition(".")[0]
        try:
            yield
        finally:
            self.space = outer

    def line(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    @contextmanager
    def block(self, head: str) -> Iterator[None]:
        self.line(head)
        self.indent += 1
        before = len(self.lines)
        yield
        if len(self.lines) == before:
            self.line("pass")
        self.indent -= 1

    def fresh(self, stem: str) -> str:
        self.names += 1
        return f"{stem}{self.names}"

    def constant(self, value: Any) -> str:
        name = self.fresh("K")
        self.constants[name] = value
        return name

    def function(self, name: str, helpers: dict[str, Any], filename: str) -> Any:
        """The function `name` the lines define, run with the constants and `helpers` in scope."""
        namespace: dict[str, Any] = {**self.constants, **helpers}
        exec(compile("\n".join(self.lines), filename, "exec"), namespace)
        return namespace[name]

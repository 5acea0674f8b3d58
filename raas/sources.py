"""Moved to `raas.outside`; these names stay here so code written against them keeps working."""

from __future__ import annotations

from raas.outside.feeds import publish as publish_persons
from raas.outside.persons import person

__all__ = ["person", "publish_persons"]

"""Decoded Avro data as JSON: ISO dates and times, null for an open end, bytes in base64.

A branch of a union of records shows as `{"<Record>": {...}}`, as in Avro's JSON encoding but with
the short name.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any


def json_ready(datum: Any) -> Any:
    """`datum`, as read by the codec, made of JSON types only."""
    if isinstance(datum, dict):
        return {key: json_ready(value) for key, value in datum.items()}
    if isinstance(datum, tuple) and len(datum) == 2 and isinstance(datum[0], str):
        return {datum[0].rsplit(".", 1)[-1]: json_ready(datum[1])}
    if isinstance(datum, list):
        return [json_ready(item) for item in datum]
    if isinstance(datum, datetime | date):
        return datum.isoformat()
    if isinstance(datum, bytes):
        return base64.b64encode(datum).decode("ascii")
    return datum

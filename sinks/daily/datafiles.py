"""The data file: records streamed as pre-escaped XML text in large chunks, hashed as written.

Memory stays constant whatever the number of records: records are formatted into a chunk of
`CHUNK_RECORDS`, which is encoded, fed to the SHA-256 and written, then forgotten; the file is
never read back. A record is one f-string: its attributes and its payload (the JSON text the
projection stored, written as it is) are escaped only when they hold a character XML reserves.
lxml's incremental writer, one element per record, took three times as long (bench/daily.py keeps
it as the baseline). The data file holds no creation time, so the same rows give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from itertools import islice
from pathlib import Path
from typing import NamedTuple

FLOWS = ("notifications", "dimona")
DATA_NS = "urn:raas:daily-file:1"
XSD_DIR = Path(__file__).resolve().parent.parent / "xsd"
DATA_XSD = XSD_DIR / "daily-file.xsd"
VOUCHER_XSD = XSD_DIR / "voucher.xsd"
CHUNK_RECORDS = 4_096
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTRIBUTE_ESCAPES = {**_TEXT_ESCAPES, '"': "&quot;", "\t": "&#9;", "\n": "&#10;"}
_ATTRIBUTE_RESERVED = re.compile('[&<>"\t\n\r]').search


class FlowRecord(NamedTuple):
    """One delivered notification or Dimona mutation, each field the text the file holds:
    `time` in UTC as `xs:dateTime`, `payload` the record's fields as JSON (Avro field names)."""

    event_id: str
    insz: str
    kind: str
    time: str
    payload: str


RecordFields = tuple[str, str, str, str, str]
"""A record's fields in `FlowRecord`'s order: a `FlowRecord` or a database row of them."""


def escaped_text(value: str) -> str:
    """`value` as XML element text."""
    if not any(c in value for c in _TEXT_ESCAPES):
        return value
    return re.sub("[&<>\r]", lambda m: _TEXT_ESCAPES[m.group()], value)


def escaped_attribute(value: str) -> str:
    """`value` inside a double-quoted XML attribute (white space kept as character references)."""
    if _ATTRIBUTE_RESERVED(value) is None:
        return value
    return re.sub('[&<>"\t\n\r]', lambda m: _ATTRIBUTE_ESCAPES[m.group()], value)


def file_head(tenant: str, flow: str, day: date) -> str:
    attributes = f'tenant="{escaped_attribute(tenant)}" flow="{escaped_attribute(flow)}"'
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<DailyFile xmlns="{DATA_NS}" {attributes} day="{day.isoformat()}">'
    )


def record_xml(record: RecordFields) -> str:
    """One record as its `<Record>` element, each field escaped as it needs."""
    event_id, insz, kind, time, payload = record
    return (
        f'<Record eventId="{escaped_attribute(event_id)}" insz="{escaped_attribute(insz)}" '
        f'kind="{escaped_attribute(kind)}" time="{escaped_attribute(time)}">'
        f"<Payload>{escaped_text(payload)}</Payload></Record>"
    )


def chunk_xml(records: list[RecordFields]) -> str:
    """The records' `<Record>` elements. Whether any field holds a character XML reserves is
    asked once for the whole chunk (a few scans of two joined strings); only then is each field
    escaped. The common case formats each record with one f-string."""
    attributes = "".join([f"{e}{i}{k}{t}" for e, i, k, t, _ in records])
    payloads = "".join([p for _, _, _, _, p in records])
    if _ATTRIBUTE_RESERVED(attributes) or any(c in payloads for c in _TEXT_ESCAPES):
        return "".join([record_xml(record) for record in records])
    return "".join(
        [
            f'<Record eventId="{e}" insz="{i}" kind="{k}" time="{t}">'
            f"<Payload>{p}</Payload></Record>"
            for e, i, k, t, p in records
        ]
    )


def write_data_file(
    path: Path, tenant: str, flow: str, day: date, records: Iterable[RecordFields]
) -> tuple[int, str]:
    """Write the records (`FlowRecord`s or rows of the same five columns) to `path`, a chunk at
    a time; the number written and the file's SHA-256 (hex)."""
    sha256 = hashlib.sha256()
    count = 0
    stream = iter(records)
    with path.open("wb") as out:
        text = file_head(tenant, flow, day)
        while chunk := list(islice(stream, CHUNK_RECORDS)):
            count += len(chunk)
            text += chunk_xml(chunk)
            data = text.encode()
            sha256.update(data)
            out.write(data)
            text = ""
        data = (text + "</DailyFile>").encode()
        sha256.update(data)
        out.write(data)
    return count, sha256.hexdigest()

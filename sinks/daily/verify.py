"""`raas daily verify`: check every voucher of a folder the way a receiver would.

Per voucher: it conforms to `voucher.xsd`; its data file exists, conforms to `daily-file.xsd`,
has the voucher's SHA-256, holds the voucher's number of records and names the same tenant, flow
and day. Per (tenant, flow): the sequence numbers run without a gap or a repeat. The data file is
read once, as a stream: libxml2 validates it while lxml's iterparse counts the records and a
reading wrapper hashes the bytes, so a file of a million records fits in constant memory.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from sinks.daily.datafiles import DATA_NS, DATA_XSD, VOUCHER_XSD
from sinks.daily.vouchers import VOUCHER_SUFFIX, Voucher, read_voucher

_CHUNK = 1 << 20
_RECORD = f"{{{DATA_NS}}}Record"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@cache
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


class HashingReader:
    """A binary file that feeds every byte read to a SHA-256, so parsing also hashes."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.sha256.update(data)
        return data


@dataclass(frozen=True, slots=True)
class DataFileFacts:
    sha256: str
    header: dict[str, str]
    count: int
    schema_error: str | None


def read_data_file(path: Path) -> DataFileFacts:
    """One streaming pass: validated against daily-file.xsd as parsed, records counted, hashed."""
    header: dict[str, str] = {}
    count = 0
    error = None
    with path.open("rb") as raw:
        source = HashingReader(raw)
        events = etree.iterparse(source, events=("start", "end"), schema=_schema(DATA_XSD))
        try:
            for event, element in events:
                if event == "start":
                    header = header or dict(element.attrib)
                elif element.tag == _RECORD:
                    count += 1
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
        except etree.XMLSyntaxError as exc:
            error = str(exc)
        while source.read(_CHUNK):
            pass
    return DataFileFacts(source.sha256.hexdigest(), header, count, error)


def voucher_schema_error(path: Path) -> str | None:
    """Why the voucher does not conform to voucher.xsd, or None."""
    try:
        document = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        return str(exc)
    schema = _schema(VOUCHER_XSD)
    return None if schema.validate(document) else str(schema.error_log.last_error)


def check_voucher(path: Path) -> tuple[Voucher | None, list[Problem]]:
    """The voucher and what is wrong with it or its data file."""
    error = voucher_schema_error(path)
    if error is not None:
        return None, [Problem(path.name, f"does not conform to voucher.xsd: {error}")]
    voucher = read_voucher(path)
    data = path.parent / voucher.data_file
    if not data.is_file():
        return voucher, [Problem(path.name, f"its data file {voucher.data_file} is missing")]
    facts = read_data_file(data)
    problems = []
    if facts.schema_error is not None:
        problems.append(
            Problem(data.name, f"does not conform to daily-file.xsd: {facts.schema_error}")
        )
    if facts.sha256 != voucher.sha256:
        problems.append(Problem(data.name, f"SHA-256 {facts.sha256} differs from the voucher's"))
    if facts.schema_error is None:
        if facts.count != voucher.record_count:
            problems.append(
                Problem(
                    data.name,
                    f"holds {facts.count} records, the voucher says {voucher.record_count}",
                )
            )
        said = {"tenant": voucher.tenant, "flow": voucher.flow, "day": voucher.day.isoformat()}
        for field, value in said.items():
            if facts.header.get(field) != value:
                problems.append(
                    Problem(data.name, f"{field} {facts.header.get(field)} is not {value}")
                )
    return voucher, problems


def sequence_problems(vouchers: list[Voucher]) -> list[Problem]:
    """Gaps and repeats in each (tenant, flow)'s sequence numbers."""
    runs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for voucher in vouchers:
        runs[(voucher.tenant, voucher.flow)].append(voucher.sequence)
    problems = []
    for (tenant, flow), numbers in sorted(runs.items()):
        numbers.sort()
        for before, after in pairwise(numbers):
            where = f"{tenant} {flow}"
            if after == before:
                problems.append(Problem(where, f"sequence {after} appears twice"))
            elif after != before + 1:
                missing = f"{before + 1}" if after == before + 2 else f"{before + 1}..{after - 1}"
                problems.append(Problem(where, f"sequence gap: {missing} missing"))
    return problems


def verify_directory(folder: Path) -> list[Problem]:
    """Every problem found in the folder's vouchers and data files; empty when all is well."""
    vouchers: list[Voucher] = []
    problems: list[Problem] = []
    paths = sorted(folder.glob(f"*{VOUCHER_SUFFIX}"))
    if not paths:
        return [Problem(str(folder), "holds no voucher")]
    for path in paths:
        voucher, found = check_voucher(path)
        problems += found
        if voucher is not None:
            vouchers.append(voucher)
    return problems + sequence_problems(vouchers)

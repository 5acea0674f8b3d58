"""`raas daily verify`: check every voucher of a folder the way a receiver would.

Per voucher: it conforms to `voucher.xsd`; its data file exists, conforms to `daily-file.xsd`,
has the voucher's SHA-256, holds the voucher's number of records and names the same tenant, flow
and day. Per (tenant, flow): the sequence numbers run without a gap or a repeat. The data file is
read as a stream (lazy validation, incremental parsing), so a file of a million records fits.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import xmlschema
from lxml import etree

from sinks.daily.datafiles import DATA_NS, DATA_XSD, VOUCHER_XSD
from sinks.daily.vouchers import VOUCHER_SUFFIX, Voucher, read_voucher

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@cache
def _schema(path: Path) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(path))


def first_schema_error(schema_path: Path, document: Path) -> str | None:
    """The first reason `document` does not conform to the schema, or None."""
    resource = xmlschema.XMLResource(str(document), lazy=True)
    for error in _schema(schema_path).iter_errors(resource):
        return str(error.reason or error.message)
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def header_and_count(path: Path) -> tuple[dict[str, str], int]:
    """The root's attributes and the number of records, parsed as a stream."""
    header: dict[str, str] = {}
    count = 0
    for event, element in etree.iterparse(str(path), events=("start", "end")):
        if event == "start" and not header and element.tag == f"{{{DATA_NS}}}DailyFile":
            header = dict(element.attrib)
        elif event == "end" and element.tag == f"{{{DATA_NS}}}Record":
            count += 1
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return header, count


def check_voucher(path: Path) -> tuple[Voucher | None, list[Problem]]:
    """The voucher and what is wrong with it or its data file."""
    error = first_schema_error(VOUCHER_XSD, path)
    if error is not None:
        return None, [Problem(path.name, f"does not conform to voucher.xsd: {error}")]
    voucher = read_voucher(path)
    data = path.parent / voucher.data_file
    if not data.is_file():
        return voucher, [Problem(path.name, f"its data file {voucher.data_file} is missing")]
    problems = []
    error = first_schema_error(DATA_XSD, data)
    if error is not None:
        problems.append(Problem(data.name, f"does not conform to daily-file.xsd: {error}"))
    actual = file_sha256(data)
    if actual != voucher.sha256:
        problems.append(Problem(data.name, f"SHA-256 {actual} differs from the voucher's"))
    if error is None:
        header, count = header_and_count(data)
        if count != voucher.record_count:
            problems.append(
                Problem(
                    data.name, f"holds {count} records, the voucher says {voucher.record_count}"
                )
            )
        said = {"tenant": voucher.tenant, "flow": voucher.flow, "day": voucher.day.isoformat()}
        for field, value in said.items():
            if header.get(field) != value:
                problems.append(Problem(data.name, f"{field} {header.get(field)} is not {value}"))
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

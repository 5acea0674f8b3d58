"""The voucher: the control file that names a data file and says what it must hold.

File names carry the sequence, so a listing sorts in the order receivers fetch:
`<tenant>-<flow>-<sequence, 6 digits>-<day>.xml` and the same with `.voucher.xml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree

VOUCHER_NS = "urn:raas:voucher:1"
VOUCHER_SUFFIX = ".voucher.xml"
_FIELDS = ("DataFile", "Tenant", "Flow", "Day", "Sequence", "RecordCount", "CreatedAt", "Sha256")


@dataclass(frozen=True, slots=True)
class Voucher:
    data_file: str
    tenant: str
    flow: str
    day: date
    sequence: int
    record_count: int
    created_at: datetime
    sha256: str


def data_file_name(tenant: str, flow: str, sequence: int, day: date) -> str:
    return f"{tenant}-{flow}-{sequence:06d}-{day.isoformat()}.xml"


def voucher_name(data_file: str) -> str:
    return data_file.removesuffix(".xml") + VOUCHER_SUFFIX


def voucher_bytes(voucher: Voucher) -> bytes:
    root = etree.Element(f"{{{VOUCHER_NS}}}Voucher", nsmap={None: VOUCHER_NS})
    values = (
        voucher.data_file,
        voucher.tenant,
        voucher.flow,
        voucher.day.isoformat(),
        str(voucher.sequence),
        str(voucher.record_count),
        voucher.created_at.isoformat(),
        voucher.sha256,
    )
    for name, value in zip(_FIELDS, values, strict=True):
        etree.SubElement(root, f"{{{VOUCHER_NS}}}{name}").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def read_voucher(path: Path) -> Voucher:
    """The voucher in `path` (call after validating it against its XSD)."""
    root = etree.parse(str(path)).getroot()
    text = {name: root.findtext(f"{{{VOUCHER_NS}}}{name}") or "" for name in _FIELDS}
    return Voucher(
        data_file=text["DataFile"],
        tenant=text["Tenant"],
        flow=text["Flow"],
        day=date.fromisoformat(text["Day"]),
        sequence=int(text["Sequence"]),
        record_count=int(text["RecordCount"]),
        created_at=datetime.fromisoformat(text["CreatedAt"]),
        sha256=text["Sha256"],
    )

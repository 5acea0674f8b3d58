from __future__ import annotations

from pathlib import Path

from raas.domain import codes
from raas.domain.codes import CATALOGUE, ResultCode, Severity

DOC = Path(__file__).parents[3] / "docs" / "result-codes.md"


def documented() -> set[tuple[int, str, str, str | None, str]]:
    rows = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].isdigit():
            code, name, severity, field, message = cells
            rows.add(
                (
                    int(code),
                    name.strip("`"),
                    severity,
                    field.strip("`") if field != "—" else None,
                    message,
                )
            )
    return rows


def test_the_doc_lists_exactly_the_catalogue() -> None:
    names = {v.code: k for k, v in vars(codes).items() if isinstance(v, ResultCode)}
    expected = {
        (c.code, names[c.code], c.severity.name.lower(), c.field, c.message) for c in CATALOGUE
    }
    assert documented() == expected


def test_codes_are_unique_and_their_first_digit_is_the_severity() -> None:
    assert len({c.code for c in CATALOGUE}) == len(CATALOGUE)
    assert all(c.severity is Severity(int(str(c.code)[0])) for c in CATALOGUE)
    assert {c.severity for c in CATALOGUE} == set(Severity)


def test_every_code_constant_is_in_the_catalogue() -> None:
    constants = {v for v in vars(codes).values() if isinstance(v, ResultCode)}
    assert constants == set(CATALOGUE)

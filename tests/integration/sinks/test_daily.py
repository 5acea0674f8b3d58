"""Daily files and vouchers, written from the projection on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import Engine, Table

from sinks.daily import (
    table_records,
    verify_directory,
    write_daily_files,
    write_yesterday_for_every_tenant,
)
from sinks.daily.datafiles import DATA_XSD, VOUCHER_XSD
from sinks.daily.vouchers import read_voucher

TENANT, OTHER = "0403019261", "1000000021"
DAY = date(2026, 11, 27)


@pytest.fixture
def sources(tables: dict[str, Table]) -> dict[str, object]:
    return {
        "notifications": table_records(tables["notifications"]),
        "dimona": table_records(tables["dimona_mutations"]),
    }


def _deliver(engine: Engine, table: Table, tenant: str, day: date, how_many: int) -> None:
    moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    rows = [
        {
            "event_id": f"{tenant}-{table.name}-{day}-{n}",
            "tenant": tenant,
            "insz": "85073003328",
            "kind": "IdentityChanged",
            "payload": {"n": n, "field": "address", "new": "Rue de la Loi 16 & <1000>"},
            "time": moment + timedelta(seconds=n),
            "day": day.isoformat(),
        }
        for n in range(how_many)
    ]
    if rows:
        with engine.begin() as connection:
            connection.execute(table.insert(), rows)


def _valid(schema: Path, document: Path) -> bool:
    return etree.XMLSchema(etree.parse(str(schema))).validate(etree.parse(str(document)))


def test_each_flow_gets_a_data_file_and_a_voucher_that_conform_to_their_xsds(
    engine: Engine, tables: dict[str, Table], sources: dict, tmp_path: Path
) -> None:
    _deliver(engine, tables["notifications"], TENANT, DAY, 3)
    _deliver(engine, tables["notifications"], OTHER, DAY, 5)
    _deliver(engine, tables["notifications"], TENANT, DAY + timedelta(days=1), 7)
    written = write_daily_files(engine, tables["daily_files"], sources, TENANT, DAY, tmp_path)
    assert [w.voucher.flow for w in written] == ["notifications", "dimona"]
    assert [w.voucher.record_count for w in written] == [3, 0]
    for file in written:
        assert _valid(DATA_XSD, file.data_file)
        assert _valid(VOUCHER_XSD, file.voucher_file)
        assert read_voucher(file.voucher_file) == file.voucher
    assert verify_directory(tmp_path) == []


def test_a_record_s_time_is_written_in_utc_and_its_payload_as_stored(
    engine: Engine, tables: dict[str, Table], sources: dict, tmp_path: Path
) -> None:
    _deliver(engine, tables["notifications"], TENANT, DAY, 2)
    data = write_daily_files(engine, tables["daily_files"], sources, TENANT, DAY, tmp_path)[0]
    records = etree.parse(str(data.data_file)).getroot()
    assert [r.get("time") for r in records] == [
        "2026-11-27T09:00:00.000000",
        "2026-11-27T09:00:01.000000",
    ]
    payload = records[1].findtext("{urn:raas:daily-file:1}Payload")
    assert json.loads(payload) == {"n": 1, "field": "address", "new": "Rue de la Loi 16 & <1000>"}


def test_the_sequence_grows_by_one_per_day_and_a_rerun_keeps_its_number(
    engine: Engine, tables: dict[str, Table], sources: dict, tmp_path: Path
) -> None:
    ledger = tables["daily_files"]
    first = write_daily_files(engine, ledger, sources, TENANT, DAY, tmp_path)
    second = write_daily_files(engine, ledger, sources, TENANT, DAY + timedelta(days=1), tmp_path)
    _deliver(engine, tables["notifications"], TENANT, DAY, 2)
    again = write_daily_files(engine, ledger, sources, TENANT, DAY, tmp_path)
    assert [w.voucher.sequence for w in first + second] == [1, 1, 2, 2]
    assert [w.voucher.sequence for w in again] == [1, 1]
    assert again[0].voucher.record_count == 2
    assert again[0].data_file == first[0].data_file
    assert verify_directory(tmp_path) == []


def test_verify_names_a_tampered_file(
    engine: Engine, tables: dict[str, Table], sources: dict, tmp_path: Path
) -> None:
    _deliver(engine, tables["notifications"], TENANT, DAY, 3)
    data = write_daily_files(engine, tables["daily_files"], sources, TENANT, DAY, tmp_path)[0]
    data.data_file.write_bytes(data.data_file.read_bytes().replace(b"address", b"adresse"))
    problems = [str(p) for p in verify_directory(tmp_path)]
    assert problems == [
        f"{data.data_file.name}: SHA-256 {_sha(data.data_file)} differs from the voucher's"
    ]


def test_verify_names_a_wrong_count(
    engine: Engine, tables: dict[str, Table], sources: dict, tmp_path: Path
) -> None:
    _deliver(engine, tables["notifications"], TENANT, DAY, 3)
    written = write_daily_files(engine, tables["daily_files"], sources, TENANT, DAY, tmp_path)[0]
    voucher = written.voucher_file
    voucher.write_bytes(voucher.read_bytes().replace(b"<RecordCount>3<", b"<RecordCount>4<"))
    problems = [str(p) for p in verify_directory(tmp_path)]
    assert problems == [f"{written.data_file.name}: holds 3 records, the voucher says 4"]


def test_verify_names_a_sequence_gap_and_an_invalid_file(
    engine: Engine, tables: dict[str, Table], sources: dict, tmp_path: Path
) -> None:
    ledger = tables["daily_files"]
    for offset in range(3):
        write_daily_files(engine, ledger, sources, TENANT, DAY + timedelta(days=offset), tmp_path)
    for lost in tmp_path.glob(f"{TENANT}-dimona-000002-*"):
        lost.unlink()
    broken = next(tmp_path.glob(f"{TENANT}-notifications-000003-*.voucher.xml"))
    broken.write_bytes(
        broken.read_bytes().replace(b"<Flow>", b"<Flux>").replace(b"</Flow>", b"</Flux>")
    )
    problems = [str(p) for p in verify_directory(tmp_path)]
    assert problems[0].startswith(f"{broken.name}: does not conform to voucher.xsd")
    assert problems[1:] == [f"{TENANT} dimona: sequence gap: 2 missing"]


def test_the_leader_job_writes_yesterdays_files_for_every_tenant(
    engine: Engine, tables: dict[str, Table], sources: dict, tmp_path: Path
) -> None:
    _deliver(engine, tables["dimona_mutations"], OTHER, DAY, 4)
    just_after_midnight_in_brussels = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    written = write_yesterday_for_every_tenant(
        engine,
        tables["daily_files"],
        sources,
        [TENANT, OTHER],
        tmp_path,
        just_after_midnight_in_brussels,
    )
    assert {
        (w.voucher.tenant, w.voucher.day, w.voucher.flow, w.voucher.record_count) for w in written
    } == {
        (TENANT, DAY, "notifications", 0),
        (TENANT, DAY, "dimona", 0),
        (OTHER, DAY, "notifications", 0),
        (OTHER, DAY, "dimona", 4),
    }
    assert verify_directory(tmp_path / OTHER) == []


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

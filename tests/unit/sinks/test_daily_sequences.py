from __future__ import annotations

from datetime import UTC, date, datetime

from sinks.daily.verify import sequence_problems
from sinks.daily.vouchers import Voucher, data_file_name, voucher_name


def _voucher(tenant: str, flow: str, sequence: int) -> Voucher:
    day = date(2026, 11, sequence)
    name = data_file_name(tenant, flow, sequence, day)
    return Voucher(
        name, tenant, flow, day, sequence, 0, datetime(2026, 12, 1, tzinfo=UTC), "0" * 64
    )


def test_consecutive_sequences_per_tenant_and_flow_are_fine() -> None:
    vouchers = [
        _voucher("0403019261", flow, n) for flow in ("notifications", "dimona") for n in (3, 1, 2)
    ]
    assert sequence_problems(vouchers) == []


def test_a_gap_names_the_missing_numbers_and_a_repeat_its_number() -> None:
    vouchers = [_voucher("0403019261", "dimona", n) for n in (1, 4, 4, 6)]
    assert [str(p) for p in sequence_problems(vouchers)] == [
        "0403019261 dimona: sequence gap: 2..3 missing",
        "0403019261 dimona: sequence 4 appears twice",
        "0403019261 dimona: sequence gap: 5 missing",
    ]


def test_file_names_sort_in_sequence_order_and_vouchers_sit_beside_their_data() -> None:
    name = data_file_name("0403019261", "notifications", 12, date(2026, 11, 27))
    assert name == "0403019261-notifications-000012-2026-11-27.xml"
    assert voucher_name(name) == "0403019261-notifications-000012-2026-11-27.voucher.xml"

"""Daily files with vouchers: one per tenant, per flow and per Europe/Brussels day.

`write_daily_files` writes one tenant's day, `write_yesterday_for_every_tenant` is the leader-only
job, `verify_directory` checks what a receiver would fetch. The sequence numbers live in the
`daily_files` table (`daily_files_table`).
"""

from sinks.daily.datafiles import FLOWS, FlowRecord
from sinks.daily.ledger import daily_files_table
from sinks.daily.sources import table_records
from sinks.daily.verify import Problem, verify_directory
from sinks.daily.writer import (
    WrittenFile,
    brussels_yesterday,
    write_daily_files,
    write_yesterday_for_every_tenant,
)

__all__ = [
    "FLOWS",
    "FlowRecord",
    "Problem",
    "WrittenFile",
    "brussels_yesterday",
    "daily_files_table",
    "table_records",
    "verify_directory",
    "write_daily_files",
    "write_yesterday_for_every_tenant",
]

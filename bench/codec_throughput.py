"""Codec throughput against bare fastavro, on the same records, in the same run.

    PYTHONPATH=. python bench/codec_throughput.py [--messages 20000] [--rounds 5]

For Command and Notification it times, per message:
- codec encode: `raas.codec.encode(domain object)` -> Confluent-framed bytes;
- bare encode: fastavro `schemaless_writer` of the record's Avro dict into a BytesIO;
- codec decode: `raas.codec.decode(bytes, RECORD)` -> domain object;
- bare decode: fastavro `schemaless_reader` of the Avro body (same flags: record names on).
- codec wire decode: the codec's framing and cached reader to the Avro dict, no domain objects.
Every variant loops alike and drops each result; best of `--rounds`, garbage collector off while
timing (as timeit does). The ratio is codec throughput / bare throughput (goal: >= 0.80).
Results go to bench/results/codec_throughput.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import fastavro
from fastavro import schemaless_reader, schemaless_writer

from raas.codec import COMMAND, NOTIFICATION, Record, decode, default_codec, encode, to_dict
from raas.domain.commands import Register
from raas.domain.notifications import IdentityChanged, InszReplaced
from raas.domain.periods import Period
from raas.domain.persons import FieldChange
from raas.domain.results import RegisterLine

FLAGS = {"return_record_name": True, "return_record_name_override": True}  # as the codec reads
RESULTS = Path(__file__).parent / "results" / "codec_throughput.json"
T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def commands(n: int) -> list[Any]:
    return [
        Register(
            f"req-{i:08d}",
            None if i % 3 else f"dossier {i}",
            f"{85073003328 + i:011d}",
            1 + i % 5,
            Period(date(2024, 1, 1) + timedelta(days=i % 365), None if i % 2 else date(2025, 1, 1)),
        )
        for i in range(n)
    ]


def notifications(n: int) -> list[Any]:
    out: list[Any] = []
    for i in range(n):
        insz = f"{85073003328 + i:011d}"
        at = T0 + timedelta(milliseconds=i)
        if i % 2:
            changes = (
                FieldChange("last_name", "Peeters", "Janssens"),
                FieldChange("address", None, "Rue 1"),
            )
            out.append(IdentityChanged("0403019261", insz, changes, f"ev-{i}", at))
        else:
            line = RegisterLine("0403019261", insz, 1, Period(date(2024, 1, 1), None))
            out.append(
                InszReplaced("0403019261", insz, f"{75460898095 + i:011d}", (line,), f"ev-{i}", at)
            )
    return out  # fmt: skip


def best(rounds: int, run: Callable[[], object], n: int) -> float:
    """Best seconds per message over `rounds` runs of `run` over `n` messages."""
    times = []
    for _ in range(rounds):
        gc.collect()
        gc.disable()  # as timeit does: time the code, not when the collector happens to run
        try:
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times) / n


def measure(record: Record[Any], objects: Sequence[Any], rounds: int) -> dict[str, float]:
    wire = default_codec().wire
    schema = wire.catalogue.record(record.name).parsed
    datums = [to_dict(obj) for obj in objects]
    framed = [encode(obj) for obj in objects]
    bodies = [data[5:] for data in framed]
    n = len(objects)

    def bare_encode(datum: dict[str, Any]) -> bytes:
        out = BytesIO()
        schemaless_writer(out, schema, datum)
        return out.getvalue()

    def bare_decode(body: bytes) -> object:
        return schemaless_reader(BytesIO(body), schema, None, **FLAGS)

    def timed(one: Callable[[Any], object], items: Sequence[Any]) -> float:
        def run() -> None:
            for item in items:  # every variant loops alike and drops each result
                one(item)

        return best(rounds, run, n) * 1e6

    figures = {
        "codec_encode_us": timed(encode, objects),
        "bare_encode_us": timed(bare_encode, datums),
        "codec_decode_us": timed(lambda data: decode(data, record), framed),
        "bare_decode_us": timed(bare_decode, bodies),
        # framing, id lookup and cached reader, but no domain objects: where the gap comes from
        "codec_wire_decode_us": timed(lambda data: wire.read(data, record.name), framed),
    }
    figures["encode_ratio"] = figures["bare_encode_us"] / figures["codec_encode_us"]
    figures["decode_ratio"] = figures["bare_decode_us"] / figures["codec_decode_us"]
    figures["wire_decode_ratio"] = figures["bare_decode_us"] / figures["codec_wire_decode_us"]
    figures["mean_bytes"] = sum(map(len, framed)) / n
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    report: dict[str, Any] = {
        "messages": args.messages,
        "rounds": args.rounds,
        "python": platform.python_version(),
        "fastavro": fastavro.__version__,
        "records": {
            "Command": measure(COMMAND, commands(args.messages), args.rounds),
            "Notification": measure(NOTIFICATION, notifications(args.messages), args.rounds),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    for name, f in report["records"].items():
        print(
            f"{name:13} encode codec {f['codec_encode_us']:6.2f} us"
            f"  bare {f['bare_encode_us']:6.2f} us  ratio {f['encode_ratio']:.2f}"
            f" | decode codec {f['codec_decode_us']:6.2f} us"
            f"  bare {f['bare_decode_us']:6.2f} us  ratio {f['decode_ratio']:.2f}"
            f" (to Avro dict only: ratio {f['wire_decode_ratio']:.2f})"
        )
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

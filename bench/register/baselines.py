"""The baselines, each in its own process: what one Python process, and one Faust agent, can
forward on this machine. The bench produces the *same encoded commands* to their input, keyed by
request id so the output can be matched without decoding.

    python -m bench.register.baselines confluent IN OUT GROUP   # consume -> produce -> commit
    python -m bench.register.baselines faust IN OUT APP         # one Faust agent, our settings
"""

from __future__ import annotations

import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.register.measure import CpuMeter
from bench.register.phase import Target, run_phase, wait_for
from bench.register.processes import Child, child_env, forwards_a_probe, probe
from bench.register.workload import Workload
from raas.clients import ensure_topics, make_admin, make_consumer, make_producer
from raas.config import Settings


def serve_confluent(in_topic: str, out_topic: str, group: str) -> None:
    """Consume -> produce unchanged -> commit after each batch, until TERM."""
    settings = Settings.from_env()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    consumer = make_consumer(settings, group_id=group, **{"enable.partition.eof": False})
    producer = make_producer(settings)
    consumer.subscribe([in_topic])
    produce = producer.produce
    while not stop.is_set():
        batch = consumer.consume(num_messages=500, timeout=0.2)
        for msg in batch:
            if msg.error() is not None:
                continue
            while True:
                try:
                    produce(out_topic, key=msg.key(), value=msg.value())
                    break
                except BufferError:
                    producer.poll(0.01)
        producer.poll(0)
        if batch:
            consumer.commit(asynchronous=True)
    producer.flush(30)
    consumer.close()


def serve_faust(in_topic: str, out_topic: str, app_id: str) -> None:
    """One Faust agent with our app's settings and the register agent's levers (concurrency 1,
    the same batching and sends) that forwards every message unchanged, until TERM: what any
    Faust agent costs before it does any work."""
    import faust

    from streams.app import faust_app, use_uvloop
    from streams.batches import batches, send_now

    use_uvloop()
    settings = replace(Settings.from_env(), app_id=app_id)
    app = faust_app(settings, worker_name="faust-passthrough", store="memory://")
    source = app.topic(in_topic, key_type=bytes, value_type=bytes)

    @app.agent(source, concurrency=1)
    async def forward(stream: Any) -> None:
        async for events in batches(stream):
            for event in events:
                await send_now(app, out_topic, event.message.key, event.message.value)

    faust.Worker(app, loglevel="warning", quiet=True).execute_from_commandline()


def run_passthrough(
    settings: Settings,
    w: Workload,
    kind: str,
    var: Path,
    broker_pid: int | None,
    idle_timeout: float,
) -> dict[str, Any]:
    """`kind` "confluent" or "faust": start its process, time `w` through it, stop it."""
    app = settings.app_id
    in_topic, out_topic = f"{app}-{kind}-passthrough-in", f"{app}-{kind}-passthrough-out"
    ensure_topics(make_admin(settings), [in_topic, out_topic], partitions=settings.partitions)
    argv = [sys.executable, "-m", "bench.register.baselines", kind, in_topic, out_topic]
    argv.append(f"{app}-{kind}-passthrough")
    child = Child(kind, argv, child_env(settings), var / f"{kind}-passthrough.log").start()
    try:
        wait_for(
            f"{kind} passthrough: waiting until it forwards a probe",
            forwards_a_probe(settings, in_topic, out_topic),
            120,
            child.alive,
        )
        target = Target(
            label=f"{kind} passthrough",
            result_topics=[out_topic],
            meter=CpuMeter({"process_under_test": child.pid, "broker": broker_pid}),
            alive=child.alive,
            warm=lambda producer: probe(producer, [(in_topic, b"warm")], w.values[0]),
        )
        result = run_phase(settings, w.to_topic(in_topic), target, 0, idle_timeout)
    except Exception:
        print(child.tail(), file=sys.stderr)
        raise
    finally:
        child.stop()
    result.pop("_values")
    result["topics"] = {"in": in_topic, "out": out_topic, "partitions": settings.partitions}
    return result


if __name__ == "__main__":
    serve = {"confluent": serve_confluent, "faust": serve_faust}[sys.argv[1]]
    serve(*sys.argv[2:5])

"""The figures of issue 10 from one run's phases: the ratios, the summary table, the JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.register.secure import summary_line as secure_summary

# issue 10's goals
GOALS = {
    "pipeline / faust passthrough": 0.5,
    "pipeline / confluent-kafka passthrough": 0.02,
    "pipeline / quix": 0.25,
}
BROKER_US_GOAL = 50.0
P99_AT_HALF_GOAL_MS = 100.0


def headline(report: dict[str, Any]) -> dict[str, Any]:
    """Issue 10's table: each figure with its goal, where the run measured it."""
    pipeline = report.get("pipeline")
    if pipeline is None:
        return {}
    out: dict[str, Any] = {}
    for name, phase in (
        ("pipeline / faust passthrough", "faust_passthrough"),
        ("pipeline / confluent-kafka passthrough", "passthrough"),
        ("pipeline / quix", "quix"),
    ):
        if phase in report and report[phase]["per_s"]:
            ratio = round(pipeline["per_s"] / report[phase]["per_s"], 3)
            out[name] = {"value": ratio, "goal": f">= {GOALS[name]}", "met": ratio >= GOALS[name]}
    broker = pipeline["cpu_us_per_command"].get("broker")
    if broker is not None:
        met = broker <= BROKER_US_GOAL
        out["broker cpu µs / command"] = {
            "value": broker,
            "goal": f"<= {BROKER_US_GOAL}",
            "met": met,
        }
    for share, phase in pipeline.get("paced", {}).items():
        lat = phase["latency_ms"] or {}
        entry: dict[str, Any] = {
            "value": lat.get("p99"),
            "p50": lat.get("p50"),
            "max": lat.get("max"),
        }
        entry["offered_per_s"], entry["achieved_per_s"] = phase["offered_per_s"], phase["per_s"]
        entry["broker cpu µs / command"] = phase["cpu_us_per_command"].get("broker")
        if share == "50%":
            entry["goal"] = f"< {P99_AT_HALF_GOAL_MS}"
            entry["met"] = lat.get("p99") is not None and lat["p99"] < P99_AT_HALF_GOAL_MS
        out[f"p99 ms, paced at {share} of max"] = entry
    return out


def phases(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every timed phase of the run, in run order, with a label."""
    out = [(name, report[name]) for name in ("passthrough", "faust_passthrough") if name in report]
    if "pipeline" in report:
        out.append(("pipeline", report["pipeline"]))
        out += [(f"pipeline @{k}", v) for k, v in report["pipeline"].get("paced", {}).items()]
    if "metrics" in report:
        out.append(("pipeline metrics", report["metrics"]["pipeline_metrics_on"]))
        out.append(("pipeline off again", report["metrics"]["pipeline_metrics_off_again"]))
    if "quix" in report:
        out.append(("quix", report["quix"]))
    for n, both in enumerate(report.get("secure_compare", {}).get("rounds", []), 1):
        for mode, phase in both.items():
            out.append((f"{mode} {n}", phase))
            out += [(f"{mode} {n} @{k}", v) for k, v in phase.get("paced", {}).items()]
    return out


def summary(report: dict[str, Any]) -> str:
    """The table printed at the end of a run."""
    lines = [
        f"{'phase':18} {'per_s':>9} {'offered':>9} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9} "
        f"{'answered':>15} {'proc µs/cmd':>11} {'broker µs/cmd':>13}"
    ]
    for name, r in phases(report):
        lat, us = r["latency_ms"] or {}, r["cpu_us_per_command"]
        offered = r["offered_per_s"] if isinstance(r["offered_per_s"], float) else "open"
        lines.append(
            f"{name:18} {r['per_s']:>9.0f} {offered!s:>9} "
            f"{lat.get('p50')!s:>9} {lat.get('p99')!s:>9} "
            f"{lat.get('max')!s:>9} {str(r['answered']) + '/' + str(r['sent']):>15} "
            f"{us.get('process_under_test')!s:>11} {us.get('broker')!s:>13}"
        )
    lines.append("")
    for name, figure in report.get("figures", {}).items():
        met = "" if "met" not in figure else ("  met" if figure["met"] else "  NOT met")
        lines.append(f"{name:42} {figure['value']!s:>10}  goal {figure.get('goal', '-')}{met}")
    if "metrics" in report:
        m = report["metrics"]
        lines.append(
            f"commands/s, worker metrics off {m['off_per_s']:.0f}, on {m['on_per_s']:.0f}, "
            f"off again {m['off_again_per_s']:.0f} (on / mean off {m['on_over_off']})"
        )
    for name, r in phases(report):
        if "broker_requests" in r:
            counted = r["broker_requests"]
            lines.append(f"broker requests per command, {name}: {counted['per_command']}")
            for kind, per in counted["per_command_by_client"].items():
                top = list(counted["by_client"][kind].items())[:4]
                apis = ", ".join(f"{api} {n}" for api, n in top)
                lines.append(f"  {kind:40} {per!s:>8}  ({apis})")
    if "secure_compare" in report:
        lines.append(secure_summary(report["secure_compare"]))
    if report.get("pipeline", {}).get("valid") is False:
        lines.append(f"NOT VALID: {report['pipeline']['invalid_because']}")
    return "\n".join(lines)


def write(report: dict[str, Any], output: Path) -> None:
    report["figures"] = headline(report)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

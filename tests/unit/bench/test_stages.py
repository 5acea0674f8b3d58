"""The split of a paced command's latency at the ingress's write and the result's write."""

from bench.register.stages import percentiles_ms, stage_figures


def test_each_stage_is_the_time_between_its_two_writes() -> None:
    sent = [0.0, 1.0]
    forwarded = [0.010, 1.030]
    written = [0.110, 1.080]
    arrived = [0.120, 1.100]
    figures = stage_figures(sent, forwarded, written, arrived)
    assert figures["commands"] == 2
    assert figures["to_ingress"] == {"p50": 30.0, "p99": 30.0, "max": 30.0}
    assert figures["ingress_to_result"]["max"] == 100.0
    assert figures["ingress_to_result"]["p50"] == 100.0
    assert figures["result_to_bench"] == {"p50": 20.0, "p99": 20.0, "max": 20.0}


def test_a_command_not_seen_at_every_stage_is_left_out() -> None:
    figures = stage_figures([0.0, 1.0], [0.01, 0.0], [0.02, 1.02], [0.03, 1.03])
    assert figures["commands"] == 1
    assert figures["to_ingress"]["max"] == 10.0


def test_percentiles_are_taken_from_the_ordered_durations() -> None:
    seconds = [i / 1000 for i in range(100, 0, -1)]  # 100 ms down to 1 ms
    assert percentiles_ms(seconds, {"p50": 0.5, "p99": 0.99, "max": 1.0}) == {
        "p50": 51.0,
        "p99": 100.0,
        "max": 100.0,
    }

"""The broker profile's sums: samples by thread kind and by the work their frames show."""

from typing import Any

from bench.register.broker_profile import summary


def sample(thread: str, *frames: str) -> dict[str, Any]:
    def frame(name: str) -> dict[str, Any]:
        owner, _, method = name.rpartition(".")
        return {"method": {"type": {"name": owner.replace(".", "/")}, "name": method}}

    return {
        "values": {
            "sampledThread": {"javaName": thread},
            "stackTrace": {"frames": [frame(f) for f in frames]},
        }
    }


def test_samples_are_shared_by_thread_kind_whatever_the_thread_number() -> None:
    figures = summary(
        [
            sample("data-plane-kafka-request-handler-1", "kafka.server.KafkaApis.handle"),
            sample("data-plane-kafka-request-handler-7", "kafka.server.KafkaApis.handle"),
            sample("kafka-scheduler-3", "kafka.utils.Scheduler.run"),
            sample("kafka-scheduler-0", "kafka.utils.Scheduler.run"),
        ]
    )
    assert figures["samples"] == 4
    assert figures["by_thread_pct"] == {
        "data-plane-kafka-request-handler-N": 50.0,
        "kafka-scheduler-N": 50.0,
    }


def test_a_sample_counts_for_the_first_kind_of_work_its_frames_show() -> None:
    figures = summary(
        [
            sample(
                "h",
                "com.yammer.metrics.stats.ExponentiallyDecayingSample.update",
                "kafka.network.RequestChannel$Request.updateRequestMetrics",
                "kafka.server.KafkaApis.handleFetchRequest",
            ),
            sample(
                "h", "kafka.server.ReplicaManager.fetchMessages", "kafka.server.KafkaApis.handle"
            ),
            sample("h", "kafka.server.KafkaApis.handleProduceRequest"),
            sample("h", "java.lang.Object.wait"),
        ]
    )
    assert figures["by_work_pct"] == {
        "request metrics (yammer histograms)": 25.0,
        "fetch": 25.0,
        "produce": 25.0,
        "other": 25.0,
    }
    assert figures["top_frames_pct"]["java.lang.Object.wait"] == 25.0

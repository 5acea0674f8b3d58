"""The Faust app is built from the settings: its folders, its guarantees, its tables' topics."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

from raas.config import Settings
from raas.topics import (
    AUTHENTIC_REPLACEMENTS,
    internal_commands_topic,
    internal_replacements_topic,
)
from streams.app import create_app


def test_a_fresh_var_dir_gets_the_worker_folder(tmp_path: Path) -> None:
    settings = replace(Settings.from_env(), var_dir=tmp_path / "never" / "made", app_id="t-app")
    raas = create_app(settings, worker_name="w9", store="memory://")
    assert (tmp_path / "never" / "made" / "w9").is_dir()
    conf = raas.app.conf
    assert conf.processing_guarantee.value == "at_least_once"
    assert conf.producer_acks == -1
    assert conf.topic_partitions == settings.partitions
    assert raas.commands.get_topic_name() == internal_commands_topic("t-app")
    assert raas.register.partitions == settings.partitions


def test_the_app_leaves_faust_s_monitor_out_of_its_sensors(tmp_path: Path) -> None:
    settings = replace(Settings.from_env(), var_dir=tmp_path, app_id="t-quiet")
    app = create_app(settings, worker_name="w1", store="memory://").app
    app.on_init_dependencies()
    assert app.monitor not in set(app.sensors)


def test_the_consumer_checks_only_its_fetches_as_the_monitor_that_times_streams_is_left_out(
    tmp_path: Path,
) -> None:
    create_app(replace(Settings.from_env(), var_dir=tmp_path, app_id="t-checks"), store="memory://")

    class FetchChecks:  # no `consumer`, so no Monitor: upstream's stream checks would fail here
        def __init__(self) -> None:
            self.checked: list[tuple[float, str]] = []

        def _verify_aiokafka_event_path(self, now: float, tp: str) -> bool:
            self.checked.append((now, tp))
            return False

    checks = FetchChecks()
    AIOKafkaConsumerThread.verify_event_path(checks, 301.0, "tp")  # type: ignore[arg-type]
    assert checks.checked == [(301.0, "tp")]


def test_two_app_ids_on_one_var_dir_keep_their_local_state_apart(tmp_path: Path) -> None:
    base = replace(Settings.from_env(), var_dir=tmp_path)
    one = create_app(replace(base, app_id="app-one"), worker_name="w1", store="memory://")
    two = create_app(replace(base, app_id="app-two"), worker_name="w1", store="memory://")
    assert one.app.conf.datadir != two.app.conf.datadir
    assert (tmp_path / "w1" / "app-one").is_dir() and (tmp_path / "w1" / "app-two").is_dir()


def test_replacement_steps_travel_on_an_internal_topic_read_with_the_commands(
    tmp_path: Path,
) -> None:
    settings = replace(Settings.from_env(), var_dir=tmp_path, app_id="t-steps")
    raas = create_app(settings, worker_name="w1", store="memory://")
    steps = internal_replacements_topic("t-steps")
    assert raas.replacements.get_topic_name() == steps
    assert steps in raas.inputs.topics  # the register agent reads them beside commands
    assert raas.replacements.partitions == settings.partitions
    assert raas.replacements_in.get_topic_name() == AUTHENTIC_REPLACEMENTS

"""Every option of the `raas` commands is checked before anything is sent (issue 9, strict CLI).

The commands run through typer's CliRunner with the broker pointed at a closed port and the
sending function replaced by a recorder: a bad value must give exit 2 with one `Error:` line and
leave the recorder empty (sending would have given exit 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner, Result

from raas.cli import app
from raas.cli import requests as requests_cli
from raas.config import Settings
from raas.domain.birthdates import BirthDate
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.limits import FIELD_LIMITS
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim
from raas.domain.results import CommandResult, Status
from raas.domain.sex import Sex
from raas.tenant_client import NotOnboarded, Unavailable

runner = CliRunner()
CLOSED_PORT = "127.0.0.1:9"  # discard: nothing listens there
SURROGATE = "Dupont\udcff"  # what Python makes of bytes that are no UTF-8 on the command line
REGISTER = ["register", "--tenant", "0403019261", "--insz", "85073003328", "--type", "1"]
REGISTER_FROM = [*REGISTER, "--from", "2025-01-01"]


@dataclass
class Recorder:
    """Stands in for `tenant_client.request`: keeps what it was asked to send."""

    sent: list[tuple[str, Command, float]] = field(default_factory=list)
    raises: Exception | None = None

    def __call__(
        self, settings: Settings, tenant: str, command: Command, timeout: float
    ) -> CommandResult | None:
        self.sent.append((tenant, command, timeout))
        if self.raises is not None:
            raise self.raises
        return CommandResult(
            tenant=tenant,
            request_id=command.request_id,
            reference=None,
            ticket="t",
            command=command,
            insz=None,
            status=Status.OK,
            details=(),
            lines=(),
            event_id="e",
            timestamp=datetime(2025, 1, 1, tzinfo=UTC),
        )


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    monkeypatch.setenv("RAAS_BOOTSTRAP_SERVERS", CLOSED_PORT)
    fake = Recorder()
    monkeypatch.setattr(requests_cli, "request", fake)
    return fake


def _refused(result: Result, option: str) -> None:
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert len(errors) == 1 and f"'{option}'" in errors[0], result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["0", "nan", "inf", "-inf", "-5", "five", "-0"])
def test_a_timeout_that_is_not_a_finite_number_above_zero_is_refused_before_sending(
    recorder: Recorder, value: str
) -> None:
    _refused(runner.invoke(app, [*REGISTER_FROM, "--timeout", value]), "--timeout")
    assert recorder.sent == []


@pytest.mark.parametrize(
    "value",
    ["9223372036854775808", "2147483648", "9" * 5000, "0", "000", "-1", "1.5", "one", "\u0661"],
)
@pytest.mark.parametrize("command", ["register", "delete", "consult"])
def test_a_type_dossier_outside_a_positive_avro_int_is_refused_before_sending(
    recorder: Recorder, command: str, value: str
) -> None:
    args = [command, "--tenant", "0403019261", "--insz", "85073003328", "--type", value]
    _refused(runner.invoke(app, [*args, "--from", "2025-01-01"]), "--type")
    assert recorder.sent == []


@pytest.mark.parametrize("option", ["--last-name", "--first-name", "--reference", "--request-id"])
def test_text_that_does_not_encode_as_utf8_is_refused_before_sending(
    recorder: Recorder, option: str
) -> None:
    result = runner.invoke(app, [*REGISTER_FROM, option, SURROGATE])
    _refused(result, option)
    assert "not UTF-8" in result.output
    assert recorder.sent == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--from", "2025-02-30"),
        ("--from", "2025-13-01"),
        ("--from", "20250101"),
        ("--from", "2025-W01-1"),
        ("--to", "2025-04-31"),
        ("--birth-date", "1985-13-00"),
        ("--sex", "X"),
        ("--tenant", "0403019262"),
        ("--tenant", "2000000042"),
        ("--insz", "85073003327"),
        ("--insz", "85.07.30"),
    ],
)
def test_invalid_days_sexes_kbo_and_insz_numbers_are_refused_before_sending(
    recorder: Recorder, option: str, value: str
) -> None:
    args = [a for a in REGISTER if a not in ("--tenant", "0403019261", "--insz", "85073003328")]
    given = {"--tenant": "0403019261", "--insz": "85073003328", "--from": "2025-01-01"}
    given[option] = value
    flat = [part for pair in given.items() for part in pair]
    _refused(runner.invoke(app, [*args, *flat]), option)
    assert recorder.sent == []


def test_a_to_without_a_from_is_refused_before_sending(recorder: Recorder) -> None:
    args = ["consult", "--tenant", "0403019261", "--insz", "85073003328", "--to", "2025-01-01"]
    _refused(runner.invoke(app, args), "--to")
    assert recorder.sent == []


def test_checked_values_reach_the_command_parsed(recorder: Recorder) -> None:
    result = runner.invoke(
        app,
        [
            "register",
            "--tenant",
            "0403.019.261",
            "--insz",
            "85.07.30-033.28",
            "--type",
            "2147483647",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--last-name",
            "Dupré",
            "--birth-date",
            "1985-07-00",
            "--sex",
            "m",
            "--request-id",
            "r-1",
            "--timeout",
            "0.5",
        ],
    )
    assert result.exit_code == 0, result.output
    assert recorder.sent == [
        (
            "0403019261",
            Register(
                "r-1",
                None,
                "85073003328",
                2147483647,
                Period(date(2025, 1, 1), date(2025, 12, 31)),
                IdentityClaim("Dupré", None, BirthDate(1985, 7, 0), Sex.M),
            ),
            0.5,
        )
    ]


def test_delete_and_consult_leave_type_and_period_out_when_not_given(recorder: Recorder) -> None:
    base = ["--tenant", "0403019261", "--insz", "85073003328", "--request-id", "r"]
    assert runner.invoke(app, ["delete", *base, "--type", "3"]).exit_code == 0
    assert runner.invoke(app, ["consult", *base]).exit_code == 0
    commands = [command for _tenant, command, _timeout in recorder.sent]
    assert commands == [Delete("r", None, "85073003328", 3), Consult("r", None, "85073003328")]


def test_a_tenant_that_is_not_onboarded_exits_1_naming_tenant_add(recorder: Recorder) -> None:
    recorder.raises = NotOnboarded("0403019261", ["raas.tenant.0403019261.commands"])
    result = runner.invoke(app, REGISTER_FROM)
    assert result.exit_code == 1
    assert "raas tenant add 0403019261" in result.output


def test_an_unreachable_broker_exits_4_and_names_it(recorder: Recorder) -> None:
    recorder.raises = Unavailable("the broker does not answer")
    result = runner.invoke(app, REGISTER_FROM)
    assert result.exit_code == 4
    assert CLOSED_PORT in result.output


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["tenant", "add", "1000000021", "-t", "2147483648:too big"], "--dossier-type"),
        (["tenant", "add", "1000000021", "-t", "1"], "--dossier-type"),
        (["tenant", "add", "1000000021", "-t", "x:label"], "--dossier-type"),
        (["tenant", "add", "1000000021", "--name", SURROGATE], "--name"),
        (["tenant", "add", "1000000022"], "KBO"),
        (["tail", "raas.dlq", "--timeout", "nan"], "--timeout"),
        (["tail", "raas.dlq", "--timeout", "0"], "--timeout"),
        (["authentic", "person", "--insz", "1", "--last-name", "a", "--first-name", "b"], "--insz"),
        (
            [
                *["authentic", "person", "--insz", "85073003328"],
                *["--last-name", "a", "--first-name", "b", "--address", SURROGATE],
            ],
            "--address",
        ),
    ],
)
def test_the_other_commands_check_their_options_before_touching_the_broker(
    recorder: Recorder, args: list[str], option: str
) -> None:
    result = runner.invoke(app, args)
    _refused(result, option)


def test_a_last_name_longer_than_its_limit_is_refused_before_sending(recorder: Recorder) -> None:
    result = runner.invoke(
        app, [*REGISTER_FROM, "--last-name", "x" * (FIELD_LIMITS["last_name"] + 1)]
    )
    _refused(result, "--last-name")
    assert recorder.sent == []


def test_a_last_name_at_its_limit_is_sent(recorder: Recorder) -> None:
    result = runner.invoke(app, [*REGISTER_FROM, "--last-name", "x" * FIELD_LIMITS["last_name"]])
    assert result.exit_code == 0, result.output
    assert len(recorder.sent) == 1

"""The operator's `raas` in secure mode: tenant logins handed out, Kafka's tools logged in."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from raas.config import ADMIN_USER, PLAIN, Settings
from raas.security import tenant_user
from tests.integration.numbers import new_kbo
from tests.integration.secure.conftest import login_as, refused
from tests.integration.secure.probes import raas


def test_an_operator_adds_a_tenant_and_hands_out_a_login_that_works(secure: Settings) -> None:
    kbo = new_kbo()
    added = raas(secure, "tenant", "add", kbo, "--name", "cli tenant", "-t", "1:probe")
    assert added.returncode == 0, added.stderr
    given = raas(secure, "tenant", "credentials", kbo, "--json")
    assert given.returncode == 0, given.stderr
    login = json.loads(given.stdout)
    assert (login["username"], login["bootstrap_servers"]) == (
        tenant_user(kbo),
        secure.bootstrap_servers,
    )
    assert login["password"] not in added.stdout + added.stderr
    assert not refused(login_as(secure, login["username"], login["password"]))
    acls = raas(secure, "kafka", "acls", "--list", "--topic", f"raas.tenant.{kbo}.commands")
    assert acls.returncode == 0, acls.stderr
    assert f"principal=User:{tenant_user(kbo)}, host=*, operation=WRITE" in acls.stdout
    removed = raas(secure, "tenant", "remove", kbo, "--delete-topics")
    assert removed.returncode == 0, removed.stderr
    assert refused(login_as(secure, login["username"], login["password"]))


def test_credentials_of_a_tenant_without_a_user_are_refused(secure: Settings) -> None:
    asked = raas(secure, "tenant", "credentials", new_kbo())
    assert asked.returncode == 1
    assert "has no user" in asked.stderr


def test_credentials_exist_only_in_secure_mode(secure: Settings) -> None:
    asked = raas(replace(secure, security=PLAIN), "tenant", "credentials", new_kbo())
    assert asked.returncode == 2
    assert "only in secure mode" in asked.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["consult", "--tenant", "0403019261", "--insz", "85073003328", "--timeout", "30"],
        ["tail", "raas.dlq", "--timeout", "30"],
        ["kafka", "topics", "--list"],
    ],
)
def test_a_wrong_password_exits_4_at_once_saying_the_login_was_refused(
    secure: Settings, command: list[str]
) -> None:
    wrong = login_as(secure, ADMIN_USER, "not-the-password")
    ran = raas(wrong, *command)
    assert ran.returncode == 4, ran.stderr
    assert f"refused the login of '{ADMIN_USER}'" in ran.stderr
    assert "not-the-password" not in ran.stdout + ran.stderr

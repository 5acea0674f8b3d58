"""The workload: tenants, INSZs and commands, encoded once before any clock starts."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from raas import codec
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.insz import parse_insz
from raas.domain.periods import Period
from raas.domain.tenants import DossierType
from raas.topics import tenant_topic

DOSSIER_TYPES = (DossierType(1, "bench one"), DossierType(2, "bench two"), DossierType(3, "three"))


def kbo_numbers(rng: random.Random, n: int) -> list[str]:
    """Valid, fresh KBO numbers (first digit 1), as tests/integration/numbers.py makes them."""
    out: set[str] = set()
    while len(out) < n:
        first8 = rng.randrange(10**7, 2 * 10**7)
        out.add(f"{first8:08d}{97 - first8 % 97:02d}")
    return sorted(out)


def insz_numbers(rng: random.Random, n: int) -> list[str]:
    """Distinct valid National Register numbers of people born in the 1900s."""
    out: dict[str, None] = {}
    while len(out) < n:
        yy, mm, dd = rng.randrange(100), rng.randrange(1, 13), rng.randrange(1, 29)
        first9 = int(f"{yy:02d}{mm:02d}{dd:02d}{rng.randrange(1, 998):03d}")
        out[f"{first9:09d}{97 - first9 % 97:02d}"] = None
    numbers = list(out)
    for number in numbers[:100]:  # the generator must agree with the domain's rules
        parse_insz(number)
    return numbers


def make_commands(
    rng: random.Random, run: str, n: int, tenants: list[str], numbers: list[str]
) -> list[tuple[str, Command]]:
    """(tenant, command): 80% Register, 10% Delete, 10% Consult, on random tenants and INSZs.

    Request ids are `<run>-<index>`, so each phase of a bench run gets its own.
    """
    out: list[tuple[str, Command]] = []
    for i in range(n):
        tenant, insz, rid = rng.choice(tenants), rng.choice(numbers), f"{run}-{i:07d}"
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1800))
        period = Period(
            start, None if rng.random() < 0.2 else start + timedelta(rng.randrange(365))
        )
        kind, type_dossier = rng.random(), rng.choice(DOSSIER_TYPES).code
        command: Command
        if kind < 0.8:
            command = Register(rid, None, insz, type_dossier, period)
        elif kind < 0.9:
            command = Delete(rid, None, insz, type_dossier, period)
        else:
            command = Consult(rid, None, insz)
        out.append((tenant, command))
    return out


@dataclass
class Workload:
    """The encoded messages, in produce order; index i is request id rids[i]."""

    topics: list[str]
    keys: list[bytes]
    values: list[bytes]
    rids: list[bytes]
    kinds: Counter[str] = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(self.values)

    def to_topic(self, topic: str) -> Workload:
        """The same messages, all to `topic`, keyed by request id (for the passthroughs)."""
        return Workload([topic] * len(self), self.rids, self.values, self.rids, self.kinds)


def encode_workload(commands: list[tuple[str, Command]]) -> Workload:
    """Each command to its tenant's commands topic, keyed by INSZ, as a tenant sends it."""
    w = Workload([], [], [], [])
    for tenant, command in commands:
        w.topics.append(tenant_topic(tenant, "commands"))
        w.keys.append(command.insz.encode())  # type: ignore[attr-defined]
        w.values.append(codec.encode(command))
        w.rids.append(command.request_id.encode())
        w.kinds[type(command).__name__] += 1
    return w


@dataclass
class Population:
    """Who the commands are about: the run's fresh tenants and the INSZs published as persons."""

    tenants: list[str]
    numbers: list[str]
    rng: random.Random

    def workload(self, run: str, n: int) -> Workload:
        """`n` fresh commands with request ids `<run>-<index>`."""
        return encode_workload(make_commands(self.rng, run, n, self.tenants, self.numbers))

"""The demo the main job runs: one tenant, a few persons, and commands flowing.

After the opening commands the sources change one person's address (an `IdentityChanged`) and
replace another's number (an `InszReplaced`; the demo's later commands on the old number are
answered on the new one with code 106), so the tenant's notifications topic has something.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

from raas.domain.birthdates import BirthDate
from raas.domain.commands import Command, Consult, Delete, Register
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim, PersonIdentity
from raas.domain.replacement import InszReplacement
from raas.domain.sex import Sex
from raas.domain.tenants import DossierType
from raas.outside.persons import person
from raas.outside.replacements import replacement

TENANT = "0403019261"
TENANT_NAME = "Demo public social-welfare centre"
DOSSIER_TYPES = (DossierType(1, "file under examination"), DossierType(2, "integration income"))
REPLACED, REPLACEMENT = "17073003384", "17073034167"  # Lucas Janssens's number, corrected


def persons() -> list[PersonIdentity]:
    return [
        person("85073003328", "Peeters", "Jan Pieter", address="Wetstraat 1, 1000 Brussel"),
        person("75060898009", "Dubois", "Marie", address="Rue Haute 12, 1000 Bruxelles"),
        person("17073003384", "Janssens", "Lucas", address="Meir 5, 2000 Antwerpen"),
        person(
            "75460898095",
            "Schmidt",
            "Anna",
            BirthDate(1975, 6, 8),
            Sex.F,
            birth_place="Aachen",
            nationality="DE",
        ),
    ]


def opening_commands() -> list[Command]:
    """The first commands: a register, an overlapping one (merged), a cut (split), a consult."""
    insz = "85073003328"
    return [
        Register(
            _id(),
            "demo-1",
            insz,
            1,
            Period(date(2024, 1, 1), date(2024, 6, 30)),
            IdentityClaim("PEETERS", "Jan", BirthDate(1985, 7, 30), Sex.M),
        ),
        Register(_id(), "demo-2", insz, 1, Period(date(2024, 6, 1), date(2024, 12, 31))),
        Delete(_id(), "demo-3", insz, 1, Period(date(2024, 3, 1), date(2024, 3, 31))),
        Register(_id(), "demo-4", insz, 7, Period(date(2024, 1, 1), None)),  # 7 is not predefined
        Consult(_id(), "demo-5", insz),
        Register(_id(), "demo-6", REPLACED, 2, Period(date(2024, 9, 1), None)),
    ]


def identity_change() -> PersonIdentity:
    """Jan Pieter Peeters moves: his tenant is told the old and new address."""
    return person("85073003328", "Peeters", "Jan Pieter", address="Grote Markt 7, 1000 Brussel")


def corrected_number() -> tuple[PersonIdentity, InszReplacement]:
    """Lucas Janssens's number is corrected: the person on the new number, then the replacement."""
    return (
        person(REPLACEMENT, "Janssens", "Lucas", address="Meir 5, 2000 Antwerpen"),
        replacement(REPLACED, REPLACEMENT),
    )


def flowing_commands(seed: int = 7) -> Iterator[Command]:
    """An endless, varied stream of commands on the demo persons."""
    rng = random.Random(seed)
    numbers = [p.insz for p in persons()]
    for n in itertools.count():
        insz = rng.choice(numbers)
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1500))
        period = Period(start, start + timedelta(days=rng.randrange(0, 120)))
        kind = n % 4
        if kind == 3:
            yield Consult(_id(), f"flow-{n}", insz)
        elif kind == 2:
            yield Delete(_id(), f"flow-{n}", insz, rng.choice((1, 2)), period)
        else:
            yield Register(_id(), f"flow-{n}", insz, rng.choice((1, 2)), period)


def _id() -> str:
    return str(uuid.uuid4())

"""Hypothesis strategies for valid domain objects of every record the codec carries."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from raas.codec import DeadLetter, TenantCommand
from raas.domain.answers import Answer, Remark
from raas.domain.birthdates import BirthDate
from raas.domain.codes import Severity
from raas.domain.commands import Consult, CreateBis, Delete, Register, UpdateBisIdentity
from raas.domain.dimona import DimonaDeclaration, DimonaKind, DimonaMutation
from raas.domain.insz import InszKind
from raas.domain.notifications import IdentityChanged, InszReplaced
from raas.domain.periods import Period
from raas.domain.persons import FieldChange, IdentityClaim, PersonIdentity, Sex
from raas.domain.register import InszState
from raas.domain.replacement import InszReplacement
from raas.domain.replacing import ReplacementStep, StepKind
from raas.domain.results import CommandResult, Detail, RegisterLine, Status
from raas.domain.tenants import DossierType, TenantConfig

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
optional_texts = st.none() | texts
digits = st.text("0123456789", min_size=11, max_size=11)
kbos = st.text("0123456789", min_size=10, max_size=10)
codes = st.integers(min_value=1, max_value=2**31 - 1)
# timestamp-millis: aware UTC datetimes with whole milliseconds
timestamps = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
).map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000))
periods = st.builds(Period, st.dates(), st.none() | st.dates())
sexes = st.sampled_from(Sex)


@st.composite
def birth_dates(draw: st.DrawFn) -> BirthDate:
    year = draw(st.integers(1, 9999))
    month = draw(st.integers(0, 12))
    last = calendar.monthrange(year, month)[1] if month else 0
    return BirthDate(year, month, draw(st.integers(0, last)))


def _ids(**fields: Any) -> dict[str, Any]:
    return {"request_id": texts, "reference": optional_texts, **fields}


claims = st.builds(IdentityClaim, optional_texts, optional_texts, st.none() | birth_dates(), sexes)
commands = st.one_of(
    st.builds(Register, **_ids(insz=digits, type_dossier=codes, period=periods,
                                identity=st.none() | claims)),
    st.builds(Delete, **_ids(insz=digits, type_dossier=codes, period=st.none() | periods)),
    st.builds(Consult, **_ids(insz=digits, type_dossier=st.none() | codes,
                               period=st.none() | periods)),
    st.builds(CreateBis, **_ids(last_name=texts, first_names=texts, birth_date=birth_dates(),
                                 sex=sexes, birth_place=optional_texts, address=optional_texts,
                                 confirm_distinct=st.booleans())),
    st.builds(UpdateBisIdentity, **_ids(insz=digits, last_name=optional_texts,
                                         first_names=optional_texts,
                                         birth_date=st.none() | birth_dates(),
                                         sex=st.none() | sexes, birth_place=optional_texts,
                                         address=optional_texts)),
)  # fmt: skip
lines = st.builds(RegisterLine, kbos, digits, codes, periods)
details = st.builds(Detail, st.sampled_from(Severity), codes, texts, optional_texts)
results = st.builds(
    CommandResult,
    tenant=kbos,
    request_id=texts,
    reference=optional_texts,
    ticket=texts,
    command=commands,
    insz=st.none() | digits,
    status=st.sampled_from(Status),
    details=st.lists(details, max_size=3).map(tuple),
    lines=st.lists(lines, max_size=3).map(tuple),
    event_id=texts,
    timestamp=timestamps,
).map(  # a result echoes its command: same request id and reference
    lambda r: CommandResult(
        r.tenant, r.command.request_id, r.command.reference, r.ticket, r.command, r.insz,
        r.status, r.details, r.lines, r.event_id, r.timestamp,
    )
)  # fmt: skip
changes = st.builds(FieldChange, texts, optional_texts, optional_texts)
notifications = st.one_of(
    st.builds(IdentityChanged, kbos, digits, st.lists(changes, max_size=3).map(tuple),
              texts, timestamps),
    st.builds(InszReplaced, kbos, digits, digits, st.lists(lines, max_size=3).map(tuple),
              texts, timestamps),
)  # fmt: skip
persons = st.builds(
    PersonIdentity,
    insz=digits,
    last_name=texts,
    first_names=texts,
    birth_date=birth_dates(),
    sex=sexes,
    birth_place=optional_texts,
    nationality=optional_texts,
    address=optional_texts,
    civil_state=optional_texts,
    death_date=st.none() | st.dates(),
    source=st.sampled_from(InszKind),
    event_id=texts,
    timestamp=timestamps,
)
replacements = st.builds(InszReplacement, digits, digits, texts, timestamps)
declarations = st.builds(
    DimonaDeclaration,
    declaration_id=texts,
    period_id=texts,
    kind=st.sampled_from(DimonaKind),
    employer=texts,
    worker_insz=digits,
    worker_type=st.sampled_from(["STU", "FLX", "OTH"]),
    joint_committee=optional_texts,
    begin=st.dates(),
    end=st.none() | st.dates(),
    event_id=texts,
    timestamp=timestamps,
)
mutations = st.builds(DimonaMutation, kbos, declarations, texts, timestamps)
tenant_configs = st.builds(
    TenantConfig,
    kbo=kbos,
    name=texts,
    dossier_types=st.lists(st.builds(DossierType, codes, texts), max_size=4).map(tuple),
    dimona_authorized=st.booleans(),
    dimona_subscribed=st.booleans(),
    event_id=texts,
    timestamp=timestamps,
    dimona_reference=st.none() | texts,
)
tenant_commands = st.builds(TenantCommand, kbos, commands, texts, timestamps)
dead_letters = st.builds(
    DeadLetter,
    topic=texts,
    partition=st.integers(0, 2**31 - 1),
    offset=st.integers(0, 2**63 - 1),
    key=st.none() | st.binary(max_size=20),
    value=st.none() | st.binary(max_size=40),
    reason=texts,
    error=texts,
    consumer=texts,
    event_id=texts,
    timestamp=timestamps,
)
answers = st.builds(
    Answer,
    tenant=kbos,
    request_id=texts,
    digest=st.binary(min_size=16, max_size=16),
    answered_at=timestamps,
    insz=st.none() | digits,
    remarks=st.lists(st.builds(Remark, codes, optional_texts), max_size=3).map(tuple),
    periods=st.lists(periods, max_size=2).map(tuple),
)
insz_states = st.builds(
    InszState,
    insz=digits,
    lines=st.lists(lines, max_size=3).map(tuple),
    answers=st.lists(answers, max_size=2).map(tuple),
    replaced_by=st.none() | digits,
)
replacement_steps = st.builds(
    ReplacementStep,
    st.sampled_from(StepKind),
    replacements,
    at=digits,
    target=digits,
    via=st.lists(digits, max_size=3).map(tuple),
    lines=st.lists(lines, max_size=3).map(tuple),
)

EVERY_RECORD = {
    "Command": commands,
    "TenantCommand": tenant_commands,
    "CommandResult": results,
    "Notification": notifications,
    "PersonIdentity": persons,
    "InszReplacement": replacements,
    "DimonaDeclaration": declarations,
    "DimonaMutation": mutations,
    "TenantConfig": tenant_configs,
    "DeadLetter": dead_letters,
    "InszState": insz_states,
    "ReplacementStep": replacement_steps,
}

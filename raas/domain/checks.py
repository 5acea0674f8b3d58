"""The checks a register command passes, in the order domain.md gives; each its own code.

Each check returns the details it raises (empty when it passes), so `register` can stop at the
first one that fails.
"""

from __future__ import annotations

from raas.domain import codes
from raas.domain.insz import InvalidInsz, parse_insz
from raas.domain.periods import Period
from raas.domain.persons import IdentityClaim, PersonIdentity, match_identity
from raas.domain.results import Detail, detail
from raas.domain.tenants import TenantConfig

_MISMATCH = {
    "last_name": codes.LAST_NAME_MISMATCH,
    "first_name": codes.FIRST_NAME_MISMATCH,
    "birth_date": codes.BIRTH_DATE_MISMATCH,
    "sex": codes.SEX_MISMATCH,
}


def check_insz(text: str) -> tuple[str | None, tuple[Detail, ...]]:
    """The 11 digits of a well-formed INSZ, or the INSZ_INVALID detail with the reason."""
    try:
        return parse_insz(text).number, ()
    except InvalidInsz as invalid:
        return None, (detail(codes.INSZ_INVALID, f"{text!r} {invalid.reason}."),)


def check_known(person: PersonIdentity | None, insz: str) -> tuple[Detail, ...]:
    """The INSZ is known in an authentic source when its person is."""
    return () if person is not None else (detail(codes.INSZ_UNKNOWN, f"({insz})"),)


def check_replaced(asked: str, current: str) -> tuple[Detail, ...]:
    """Not a refusal: say so when the register acts on a replacement of the asked INSZ."""
    if asked == current:
        return ()
    return (detail(codes.INSZ_REPLACED, f"{asked} is replaced by {current}."),)


def check_type_dossier(
    config: TenantConfig | None, type_dossier: int | None, *, held: bool = False
) -> tuple[Detail, ...]:
    """The tenant is configured and predefined `type_dossier` (or still `held` lines of it)."""
    if config is None:
        return (detail(codes.TENANT_UNKNOWN),)
    if type_dossier is None or held or config.defines(type_dossier):
        return ()
    return (detail(codes.TYPE_DOSSIER_UNKNOWN, f"({type_dossier})"),)


def check_period(period: Period | None) -> tuple[Detail, ...]:
    """`begin <= end` when an end is given."""
    if period is None or period.is_valid:
        return ()
    return (detail(codes.PERIOD_INVALID, f"({period})"),)


def check_identity(claim: IdentityClaim | None, person: PersonIdentity) -> tuple[Detail, ...]:
    """One detail per claimed identity field that differs from the authentic source."""
    if claim is None:
        return ()
    return tuple(detail(_MISMATCH[name]) for name in match_identity(claim, person))

from __future__ import annotations

from datetime import date

from raas.domain.birthdates import BirthDate
from raas.domain.persons import FieldChange, IdentityClaim, Sex, diff_identity, match_identity
from tests.unit.domain.builders import person


def test_names_match_ignoring_case_accents_spaces_hyphens_and_apostrophes() -> None:
    someone = person(last_name="D'Hondt-Vandenbroucke", first_names="Zoë")
    claim = IdentityClaim(last_name="dhondt vanden broucke", first_name="ZOE")
    assert match_identity(claim, someone) == ()


def test_a_claimed_first_name_matches_all_first_names_or_any_single_one() -> None:
    someone = person(first_names="Jean-Pierre Marie")
    for name in ("jean pierre marie", "Jean-Pierre", "marie"):
        assert match_identity(IdentityClaim(first_name=name), someone) == ()
    assert match_identity(IdentityClaim(first_name="Jean"), someone) == ("first_name",)


def test_a_mismatch_names_every_differing_field() -> None:
    claim = IdentityClaim("Peeters", "Jan", BirthDate(1985, 7, 0), Sex.F)
    assert match_identity(claim, person()) == ("last_name", "first_name", "birth_date", "sex")


def test_an_empty_claim_matches_anyone() -> None:
    assert match_identity(IdentityClaim(), person()) == ()


def test_the_diff_gives_old_and_new_value_of_each_changed_field() -> None:
    before = person()
    after = person(address="Markt 2, 8000 Brugge", death_date=date(2025, 1, 2), event_id="rn-2")
    assert diff_identity(before, after) == (
        FieldChange("address", "Kerkstraat 1, 9000 Gent", "Markt 2, 8000 Brugge"),
        FieldChange("death_date", None, "2025-01-02"),
    )


def test_the_same_identity_has_no_diff_and_a_first_snapshot_lists_its_fields() -> None:
    assert diff_identity(person(), person(event_id="other")) == ()
    first = diff_identity(None, person())
    assert FieldChange("birth_date", None, "1985-07-30") in first
    assert FieldChange("sex", None, "M") in first

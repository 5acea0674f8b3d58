from __future__ import annotations

import pytest

from sinks.search.keys import first_name_key, last_name_key, person_keys
from sinks.search.ranking import LATER_FIRST_NAME, Reasons, first_name_similarity, score


@pytest.mark.parametrize(
    "spellings",
    [
        ("Peeters", "Peters", "Pieters"),
        ("Janssens", "Jansen", "Janssen", "Jansens"),
        ("Lambrechts", "Lambrecht"),
        ("Vandenberghe", "Van den Berghe", "Vandenberg"),
        ("D'Hondt", "Dhondt", "De Hondt"),
        ("Lefebvre", "Lefèbvre"),
        ("Laurent", "Lorent", "Laurant"),
    ],
)
def test_spellings_of_one_family_share_a_key(spellings: tuple[str, ...]) -> None:
    assert len({last_name_key(s) for s in spellings}) == 1


def test_different_names_get_different_keys() -> None:
    assert last_name_key("Peeters") != last_name_key("Janssens")
    assert last_name_key("Dubois") != last_name_key("De Vos")


def test_the_first_name_key_is_that_of_the_usual_first_name() -> None:
    assert first_name_key("Jan Pieter") == first_name_key("Jan")
    assert first_name_key("") == ""


def test_person_keys_name_the_projection_columns() -> None:
    assert set(person_keys("Maes", "Anna")) == {"last_name_key", "first_name_key"}


def test_a_closer_date_and_an_equal_key_rank_higher() -> None:
    near = Reasons("PTR", True, False, 0.95, None, 0)
    far = Reasons("PTR", True, False, 0.95, None, 60)
    other_key = Reasons("PTR", False, False, 0.95, None, 0)
    assert score(near) > score(far)
    assert score(near) > score(other_key)
    assert "key PTR equal" in near.explain()


def test_the_very_birth_date_searched_outranks_a_year_that_merely_holds_it() -> None:
    exact_day = Reasons("MS", True, False, 1.0, 0.89, 0, same_birth_date=True)
    year_only = Reasons("MS", True, False, 1.0, 0.95, 0, same_birth_date=False)
    assert score(exact_day) > score(year_only)
    assert exact_day.explain().endswith("birth date equal")
    assert year_only.explain().endswith("birth date 0 d from the searched one")


def test_a_later_given_name_counts_less_than_the_usual_one() -> None:
    assert first_name_similarity("Noé", "Noé Koen") == 1.0
    assert first_name_similarity("Noé", "Xavier Noé") == pytest.approx(LATER_FIRST_NAME)
    assert first_name_similarity("Noé", "") == 0.0


def test_scores_stay_between_zero_and_one() -> None:
    best = Reasons("PTR", True, True, 1.0, 1.0, 0, same_birth_date=True)
    unnamed = Reasons("PTR", True, True, 1.0, None, 0, same_birth_date=True)
    assert score(best) == pytest.approx(1.0)
    assert score(unnamed) == pytest.approx(1.0)

from __future__ import annotations

import pytest

from sinks.search.keys import first_name_key, last_name_key, person_keys
from sinks.search.ranking import Reasons, score


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

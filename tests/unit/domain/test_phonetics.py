from __future__ import annotations

import pytest

from raas.domain.phonetics import fold, search_form, words


def test_fold_drops_case_and_accents() -> None:
    assert fold("Lefèbvre") == "lefebvre"
    assert fold("Chloé Noël") == "chloe noel"


@pytest.mark.parametrize(
    "spellings",
    [
        ("Van den Berghe", "Vanden Berghe", "Vandenberghe", "VAN DEN BERGHE", "van den  Berghe"),
        ("De Smet", "Desmet", "de smet"),
        ("D'Hondt", "Dhondt", "De Hondt", "D\u2019Hondt", "d' Hondt"),
        ("Du Bois", "Dubois", "Dubois-Lambert", "Dubois - Lambert"),
        ("Le Clercq", "Leclercq"),
        ("Van der Linden", "Vander Linden", "Vanderlinden"),
    ],
)
def test_spaced_glued_and_elided_particles_give_one_search_form(
    spellings: tuple[str, ...],
) -> None:
    assert len({search_form(s) for s in spellings}) == 1


def test_a_double_name_is_searched_by_its_first_part() -> None:
    assert search_form("Maes-Maas") == search_form("Maes")
    assert search_form("Dubois Lambert") == "dubois"


def test_names_that_only_start_like_a_particle_keep_their_letters() -> None:
    assert search_form("Denis") == "denis"
    assert search_form("Lambert") == "lambert"


def test_signs_between_letters_go_and_an_empty_name_has_no_form() -> None:
    assert words("O'Brien") == ["o", "brien"]
    assert search_form("  - ' ") == ""

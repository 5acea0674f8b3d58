from __future__ import annotations

import itertools

from raas.simulator.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from raas.simulator.persons import simulated_persons
from raas.simulator.variants import family_of, spelling_variants

PERSONS = list(itertools.islice(simulated_persons(3), 300))


def test_each_variant_names_the_person_it_was_made_from() -> None:
    variants = list(spelling_variants(PERSONS, seed=3))
    assert [v.base for v in variants] == PERSONS


def test_a_variant_spells_the_name_another_way_of_the_same_family() -> None:
    for variant in spelling_variants(PERSONS, seed=3):
        family = family_of(variant.base.last_name, LAST_NAMES)
        assert variant.last_name in family
        assert variant.last_name != variant.base.last_name
        usual = variant.base.first_names.split()[0]
        assert variant.first_name in family_of(usual, MALE_FIRST_NAMES + FEMALE_FIRST_NAMES)


def test_a_variant_keeps_the_birth_date_and_sex() -> None:
    for variant in spelling_variants(PERSONS, seed=3):
        assert (variant.birth_date, variant.sex) == (variant.base.birth_date, variant.base.sex)


def test_the_same_seed_gives_the_same_variants_and_another_seed_others() -> None:
    once = list(spelling_variants(PERSONS, seed=3))
    assert once == list(spelling_variants(PERSONS, seed=3))
    assert once != list(spelling_variants(PERSONS, seed=4))

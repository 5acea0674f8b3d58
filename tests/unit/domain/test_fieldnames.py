from __future__ import annotations

from dataclasses import fields

from raas.domain.commands import Register
from raas.domain.fieldnames import field_names
from tests.unit.domain.builders import period, register


def test_the_field_names_of_a_dataclass_instance_are_its_fields_in_order() -> None:
    command = register("req-1", period(0, 9))
    assert field_names(command) == tuple(f.name for f in fields(command))
    assert field_names(command) == field_names(register("req-2", period(3, 4)))


def test_a_value_that_is_no_dataclass_instance_has_no_field_names() -> None:
    assert field_names("85073003328") is None
    assert field_names(7) is None
    assert field_names(Register) is None  # the class itself

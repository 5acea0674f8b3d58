from __future__ import annotations

from datetime import date

import pytest

from raas.domain.dimona import DimonaKind
from raas.domain.insz import InvalidInsz
from raas.domain.kbo import InvalidKbo
from raas.domain.replacement import ReplacementCycle
from raas.outside.declarations import InvalidDeclaration, declaration
from raas.outside.feeds import feed_of
from raas.outside.persons import person
from raas.outside.replacements import replacement
from raas.topics import AUTHENTIC_PERSONS, AUTHENTIC_REPLACEMENTS, DIMONA_DECLARATIONS

MAN, WOMAN, BIS = "85073003328", "75060898009", "75460898095"


def dimona(**changes: object) -> dict[str, object]:
    given: dict[str, object] = {
        "insz": MAN,
        "kind": DimonaKind.IN,
        "period_id": "17",
        "employer": "0403019261",
        "worker_type": "STU",
        "joint_committee": "302",
        "begin": date(2025, 7, 1),
        "end": date(2025, 7, 31),
    }
    return {**given, **changes}


def test_each_record_goes_to_its_source_topic_keyed_as_the_topic_map_says() -> None:
    made = declaration(**dimona())  # type: ignore[arg-type]
    swap = replacement(BIS, WOMAN)
    someone = person(MAN, "Peeters", "Jan")
    assert (feed_of(someone).topic, feed_of(someone).key(someone)) == (AUTHENTIC_PERSONS, MAN)
    assert (feed_of(swap).topic, feed_of(swap).key(swap)) == (AUTHENTIC_REPLACEMENTS, BIS)
    assert (feed_of(made).topic, feed_of(made).key(made)) == (DIMONA_DECLARATIONS, MAN)


def test_anything_else_has_no_source_topic() -> None:
    with pytest.raises(TypeError, match="no source topic"):
        feed_of("text")


def test_a_replacement_reads_written_numbers_and_is_the_same_event_when_sent_again() -> None:
    once = replacement("75.46.08-980.95", WOMAN)
    assert (once.old_insz, once.new_insz) == (BIS, WOMAN)
    assert replacement(BIS, WOMAN).event_id == once.event_id


def test_a_replacement_of_an_invalid_number_or_by_itself_is_refused() -> None:
    with pytest.raises(InvalidInsz):
        replacement("85073003327", WOMAN)
    with pytest.raises(ReplacementCycle):
        replacement(MAN, MAN)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"insz": "85073003327"}, InvalidInsz),
        ({"employer": "0431150351"}, InvalidKbo),
        ({"period_id": "p-1"}, InvalidDeclaration),
        ({"worker_type": "student!"}, InvalidDeclaration),
        ({"joint_committee": "three"}, InvalidDeclaration),
        ({"end": date(2025, 6, 30)}, InvalidDeclaration),
        ({"kind": DimonaKind.OUT, "end": None}, InvalidDeclaration),
    ],
)
def test_a_declaration_the_feed_would_not_send_is_refused(
    changes: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        declaration(**dimona(**changes))  # type: ignore[arg-type]


def test_an_in_may_be_open_ended_and_sending_it_again_is_the_same_event() -> None:
    made = declaration(**dimona(end=None))  # type: ignore[arg-type]
    assert made.end is None
    assert declaration(**dimona(end=None)).event_id == made.event_id  # type: ignore[arg-type]

"""Notification: IdentityChanged or InszReplaced, for one tenant."""

from __future__ import annotations

from raas.codec.records import common
from raas.codec.records.record import AvroDict, Record, branch
from raas.domain.notifications import IdentityChanged, InszReplaced, Notification


def notification_to(notification: Notification) -> AvroDict:
    match notification:
        case IdentityChanged():
            changes = [common.change_to(c) for c in notification.changes]
            body = branch("IdentityChanged", {"insz": notification.insz, "changes": changes})
        case InszReplaced():
            body = branch(
                "InszReplaced",
                {
                    "old_insz": notification.old_insz,
                    "new_insz": notification.new_insz,
                    "lines": [common.line_to(line) for line in notification.lines],
                },
            )
    return {
        "event_id": notification.event_id,
        "timestamp": notification.timestamp,
        "tenant": notification.tenant,
        "body": body,
    }


def notification_from(datum: AvroDict) -> Notification:
    # positional arguments and list comprehensions: this runs once per message
    name, body = datum["body"]
    if name == "be.raas.IdentityChanged":
        changes = tuple([common.change_from(c) for c in body["changes"]])
        return IdentityChanged(
            datum["tenant"], body["insz"], changes, datum["event_id"], datum["timestamp"]
        )
    return InszReplaced(
        datum["tenant"],
        body["old_insz"],
        body["new_insz"],
        tuple([common.line_from(line) for line in body["lines"]]),
        datum["event_id"],
        datum["timestamp"],
    )


NOTIFICATION: Record[Notification] = Record(
    "Notification", (IdentityChanged, InszReplaced), notification_to, notification_from
)

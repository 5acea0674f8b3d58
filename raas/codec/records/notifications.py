"""Notification: IdentityChanged or InszReplaced, for one tenant."""

from __future__ import annotations

from raas.codec.records import common
from raas.codec.records.record import AvroDict, Record, branch, branch_name
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
    kind, body = branch_name(datum["body"]), datum["body"][1]
    if kind == "IdentityChanged":
        return IdentityChanged(
            tenant=datum["tenant"],
            insz=body["insz"],
            changes=tuple(common.change_from(c) for c in body["changes"]),
            event_id=datum["event_id"],
            timestamp=datum["timestamp"],
        )
    return InszReplaced(
        tenant=datum["tenant"],
        old_insz=body["old_insz"],
        new_insz=body["new_insz"],
        lines=tuple(common.line_from(line) for line in body["lines"]),
        event_id=datum["event_id"],
        timestamp=datum["timestamp"],
    )


NOTIFICATION: Record[Notification] = Record(
    "Notification", (IdentityChanged, InszReplaced), notification_to, notification_from
)

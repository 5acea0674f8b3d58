"""The one catalogue of result codes. The first digit is the severity: 1 info, 2 warning, 3 error.

Each code has a message and the field it concerns (None when it concerns the whole command).
`docs/result-codes.md` lists exactly this catalogue; a unit test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3


@dataclass(frozen=True, slots=True)
class ResultCode:
    code: int
    message: str
    field: str | None

    @property
    def severity(self) -> Severity:
        return Severity(int(str(self.code)[0]))


# Information
LINE_REGISTERED = ResultCode(100, "The line was registered.", "period")
LINES_MERGED = ResultCode(101, "The line was merged with existing lines of the register.", "period")
ALREADY_REGISTERED = ResultCode(
    102, "The period was already registered; nothing changed.", "period"
)
LINES_DELETED = ResultCode(103, "The period was deleted from the register.", "period")
LINES_FOUND = ResultCode(104, "Lines of the register match the query.", None)
NO_LINES_FOUND = ResultCode(105, "No line of the register matches the query.", None)
INSZ_REPLACED = ResultCode(
    106, "The INSZ has been replaced; the register acted on the current INSZ.", "insz"
)
BIS_CREATED = ResultCode(107, "A BIS number was created.", "insz")
BIS_IDENTITY_UPDATED = ResultCode(108, "The identity of the BIS number was updated.", "insz")

# Warnings
NOTHING_TO_DELETE = ResultCode(200, "Nothing to delete: no line matches.", "period")

# Errors
INSZ_INVALID = ResultCode(300, "The INSZ is not well formed or its check digits are wrong.", "insz")
INSZ_UNKNOWN = ResultCode(
    301, "The INSZ is known in no authentic source (National Register or BIS register).", "insz"
)
TENANT_UNKNOWN = ResultCode(302, "The tenant has no configuration.", "tenant")
TYPE_DOSSIER_UNKNOWN = ResultCode(
    303, "The TypeDossier is not predefined for this tenant.", "type_dossier"
)
PERIOD_INVALID = ResultCode(304, "The period ends before it begins.", "period")
LAST_NAME_MISMATCH = ResultCode(
    305, "The last name differs from the authentic source.", "identity.last_name"
)
FIRST_NAME_MISMATCH = ResultCode(
    306, "The first name differs from the authentic source.", "identity.first_name"
)
BIRTH_DATE_MISMATCH = ResultCode(
    307, "The birth date differs from the authentic source.", "identity.birth_date"
)
SEX_MISMATCH = ResultCode(308, "The sex differs from the authentic source.", "identity.sex")
INSZ_NOT_BIS = ResultCode(
    309, "Only a BIS number can be updated; a National Register number is refused.", "insz"
)
BIS_DATA_INSUFFICIENT = ResultCode(
    310,
    "Minimal identification data is a name with a full birth date, birth place and sex, "
    "or a name with a birth date and an address.",
    None,
)
BIS_LIKELY_DUPLICATE = ResultCode(
    311, "Likely matches exist; confirm the person is distinct to create a BIS number.", None
)
BIS_DUPLICATE = ResultCode(312, "A BIS person with exactly this identity exists.", None)
BIS_SERIALS_EXHAUSTED = ResultCode(
    313, "No BIS serial is left for this birth date and sex.", "birth_date"
)
BIRTH_DATE_INVALID = ResultCode(314, "The birth date is impossible.", "birth_date")
COMMAND_NOT_SERVED = ResultCode(
    315, "This command is not served by the register workers of this version.", None
)
REQUEST_ID_REUSED = ResultCode(
    316,
    "The request id was already used for a different command on this INSZ; "
    "choose a new request id for a new command.",
    "request_id",
)
FIELD_TOO_LONG = ResultCode(
    317, "A text field is longer than its limit; the command was not processed.", None
)
COMMAND_TOO_LARGE = ResultCode(
    318, "The command is larger than the limit for a whole command; it was not processed.", None
)
VALUE_OUT_OF_RANGE = ResultCode(
    319, "A number is outside its allowed range; the command was not processed.", None
)

CATALOGUE: tuple[ResultCode, ...] = (
    LINE_REGISTERED,
    LINES_MERGED,
    ALREADY_REGISTERED,
    LINES_DELETED,
    LINES_FOUND,
    NO_LINES_FOUND,
    INSZ_REPLACED,
    BIS_CREATED,
    BIS_IDENTITY_UPDATED,
    NOTHING_TO_DELETE,
    INSZ_INVALID,
    INSZ_UNKNOWN,
    TENANT_UNKNOWN,
    TYPE_DOSSIER_UNKNOWN,
    PERIOD_INVALID,
    LAST_NAME_MISMATCH,
    FIRST_NAME_MISMATCH,
    BIRTH_DATE_MISMATCH,
    SEX_MISMATCH,
    INSZ_NOT_BIS,
    BIS_DATA_INSUFFICIENT,
    BIS_LIKELY_DUPLICATE,
    BIS_DUPLICATE,
    BIS_SERIALS_EXHAUSTED,
    BIRTH_DATE_INVALID,
    COMMAND_NOT_SERVED,
    REQUEST_ID_REUSED,
    FIELD_TOO_LONG,
    COMMAND_TOO_LARGE,
    VALUE_OUT_OF_RANGE,
)

BY_CODE: dict[int, ResultCode] = {c.code: c for c in CATALOGUE}

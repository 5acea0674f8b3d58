"""KBO (BCE) enterprise numbers: 10 digits, first digit 0 or 1, last two `97 - (first 8 mod 97)`.

Numbers starting 2..8 are business-unit numbers (vestigingseenheden), refused here.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-]")


class InvalidKbo(ValueError):
    """The text is no enterprise number; `reason` says why."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


def parse_kbo(text: str) -> str:
    """The 10 digits of an enterprise number written with or without dots, spaces or `BE`."""
    digits = _SEPARATORS.sub("", text)
    if digits[:2].upper() == "BE":
        digits = digits[2:]
    if re.search(r"[^0-9]", digits):
        raise InvalidKbo(text, "contains characters other than digits and separators")
    if len(digits) != 10:
        raise InvalidKbo(text, f"has {len(digits)} digits instead of 10")
    if digits[0] not in "01":
        what = "a business-unit number" if digits[0] in "2345678" else "no KBO number"
        raise InvalidKbo(text, f"starts with {digits[0]}: {what}, not an enterprise number")
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise InvalidKbo(text, "check digits are wrong")
    return digits

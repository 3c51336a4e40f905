"""Resident ID numbers (居民身份证号码, GB 11643-1999): check character, birth date, sex, address code.

An 18-character number: 6-digit address code (the county that issued it), 8-digit birth date
YYYYMMDD, 3-digit sequence (odd for men, even for women) and a check character
"10X98765432"[Σ dᵢ·wᵢ mod 11] with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.

Unlike python-stdnum's cn.ric we accept any address code that has ever existed, whatever the
birth date: an ID number keeps the code of the county where it was issued, which may not have
existed yet when the person was born (national.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from doudi.policy import regions

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
EARLIEST_BIRTH = dt.date(1880, 1, 1)


@dataclass(frozen=True)
class IdInfo:
    address_code: str
    birth_date: dt.date
    sex: str  # "M" | "F"


def check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError("17 digits")
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(number: object, today: dt.date | None = None) -> IdInfo:
    """Validate an 18-character ID number and read it.

    Raises ValueError whose text says what was expected (it never repeats the full number).
    """
    if not isinstance(number, str):
        raise ValueError("an 18-character resident ID number as a string (17 digits and a digit or X)")
    s = number.strip().upper()
    if len(s) != 18 or not s.isascii() or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        raise ValueError("an 18-character resident ID number (17 digits and a digit or X)")
    expected = check_character(s[:17])
    if expected != s[17]:
        raise ValueError(f"a valid GB 11643 check character in position 18 (the first 17 digits give {expected}, "
                         f"not {s[17]})")
    birth = _birth_date(s[6:14], today or dt.date.today())
    if not regions.is_known(s[:6]):
        raise ValueError(f"an address code (digits 1–6) that exists or has existed in GB/T 2260 (got {s[:6]})")
    sex = "M" if int(s[16]) % 2 == 1 else "F"
    return IdInfo(s[:6], birth, sex)


def _birth_date(digits: str, today: dt.date) -> dt.date:
    try:
        birth = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValueError(f"a real birth date YYYYMMDD in digits 7–14 (got {digits})") from None
    if birth < EARLIEST_BIRTH:
        raise ValueError(f"a birth date in 1880 or later in digits 7–14 (got {digits})")
    if birth > today:
        raise ValueError(f"a birth date not after today ({today.isoformat()}) in digits 7–14 (got {digits})")
    return birth


def is_valid(number: object, today: dt.date | None = None) -> bool:
    try:
        parse_id_number(number, today)
    except ValueError:
        return False
    return True


def mask_id_number(number: str) -> str:
    """First 6 and last 4 shown, the rest as * (security.md)."""
    s = str(number)
    return s[:6] + "*" * (len(s) - 10) + s[-4:] if len(s) > 10 else "*" * len(s)


def normalise_id_number(raw: object) -> str | None:
    """An ID number in its one comparable form, or None when it cannot be one.

    Upper-case X; an old 15-digit number (GB 11643-1989: 6-digit address code, 6-digit birth
    date YYMMDD of the 1900s, 3-digit sequence, no check character) becomes the 18-character
    number it was replaced by: "19" inserted before the birth year and the check character
    appended. The result is returned only when it is a valid number (parse_id_number).
    """
    if raw is None:
        return None
    s = str(raw).strip().upper().replace(" ", "")
    if len(s) == 15 and s.isdigit() and s.isascii():
        first17 = s[:6] + "19" + s[6:]
        s = first17 + check_character(first17)
    return s if is_valid(s) else None

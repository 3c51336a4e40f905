"""Resident ID numbers (GB 11643-1999): check character, birth date, sex, address code.

Unlike python-stdnum's cn.ric we accept any address code that has ever existed, whatever the
birth date: an ID number keeps the code of the county where it was issued (national.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from doudi.policy import regions

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


@dataclass(frozen=True)
class IdInfo:
    address_code: str
    birth_date: dt.date
    sex: str  # "M" | "F"


def check_character(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def parse_id_number(number: str) -> IdInfo:
    """Validate an 18-character ID number; ValueError says what is wrong in English."""
    s = str(number).strip().upper()
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        raise ValueError("an 18-character resident ID number (17 digits and a digit or X)")
    if check_character(s[:17]) != s[17]:
        raise ValueError(f"a valid GB 11643 check character (should be {check_character(s[:17])})")
    try:
        birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise ValueError(f"a real birth date in digits 7–14 (got {s[6:14]})") from None
    if birth.year < 1880:
        raise ValueError(f"a birth date after 1880 in digits 7–14 (got {s[6:14]})")
    if not regions.is_known(s[:6]):
        raise ValueError(f"an address code (digits 1–6) that exists or has existed in GB/T 2260 (got {s[:6]})")
    sex = "M" if int(s[16]) % 2 == 1 else "F"
    return IdInfo(s[:6], birth, sex)


def mask_id_number(number: str) -> str:
    """First 6 and last 4 shown (security.md)."""
    s = str(number)
    return s[:6] + "*" * (len(s) - 10) + s[-4:] if len(s) > 10 else "*" * len(s)

"""Exact money for the policy core.

Amounts are integer fen (分) in int64 columns. A ratio from the policy data (0.20, 1.3,
0.035) is held as an integer count of millionths, so fen × ratio is an exact integer of
micro-fen. Intermediate sums stay in micro-fen; every amount is rounded half-up to the fen
once, at its end (rules.md: "to the fen, half-up, once, at the end of each amount").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

MICRO = 1_000_000  # ratio scale, and micro-fen per fen
FEN = 100  # fen per yuan

Fen = np.ndarray  # int64 column of fen
Micro = np.ndarray  # int64 column of micro-fen or micro-ratio


def yuan_to_fen(value: Decimal | str | int) -> int:
    """'700.00' → 70000. Raises ValueError for more than 2 decimals."""
    d = Decimal(str(value))
    fen = d * FEN
    if fen != fen.to_integral_value():
        raise ValueError(f"{value} has more than 2 decimals")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / FEN).quantize(Decimal("0.01"))


def format_yuan(fen: int) -> str:
    """Exactly two decimals, as the decision JSON prints amounts: the text of fen_to_yuan(fen) with
    2 decimals, written from the integer (a decision prints about 30 amounts; Decimal's division,
    quantize and format took most of each)."""
    v = int(fen)
    return f"{'-' if v < 0 else ''}{abs(v) // 100}.{abs(v) % 100:02d}"


def ratio_to_micro(value: Decimal | str) -> int:
    """'0.20' → 200000. Raises ValueError beyond 6 decimals."""
    d = Decimal(str(value))
    m = d * MICRO
    if m != m.to_integral_value():
        raise ValueError(f"{value} has more than 6 decimals")
    return int(m)


def micro_to_ratio(micro: int) -> Decimal:
    return (Decimal(int(micro)) / MICRO).normalize()


def parse_decimal(value: object) -> Decimal:
    """A JSON number or string to Decimal, without passing through binary float."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, float):
        value = repr(value)
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if not d.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return d


def round_half_up_div(numerator: np.ndarray, denominator: int | np.ndarray) -> np.ndarray:
    """numerator / denominator rounded half-up (away from zero at .5), exactly, in integers."""
    # One value (a household, a trace figure): the same figures in Python's integers, without six array
    # operations (no int64 wrap: amounts are bounded far inside it).
    if type(denominator) is int and denominator > 0:
        if type(numerator) is np.ndarray and numerator.shape == (1,) and numerator.dtype == np.int64:
            return np.array([_half_up(int(numerator[0]), denominator)], dtype=np.int64)
        if type(numerator) is np.int64:
            return np.int64(_half_up(int(numerator), denominator))
    num = np.asarray(numerator, dtype=np.int64)
    den = np.asarray(denominator, dtype=np.int64)
    sign = np.where(num < 0, -1, 1)
    q = (2 * np.abs(num) + den) // (2 * den)
    return sign * q


def _half_up(n: int, d: int) -> int:
    """n / d (d > 0) rounded half-up, away from zero at .5, in Python integers."""
    q = (2 * abs(n) + d) // (2 * d)
    return -q if n < 0 else q


def micro_to_fen(micro: np.ndarray) -> Fen:
    """Round a micro-fen column half-up to whole fen: the one rounding of an amount."""
    return round_half_up_div(micro, MICRO)


def fen_times_ratio(fen: np.ndarray, ratio_micro: np.ndarray | int) -> Micro:
    """fen × ratio, exact, in micro-fen."""
    return np.asarray(fen, dtype=np.int64) * np.asarray(ratio_micro, dtype=np.int64)


def to_micro(fen: np.ndarray) -> Micro:
    return np.asarray(fen, dtype=np.int64) * MICRO


def fen_scalar_half_up(value: Decimal) -> int:
    """A Decimal number of fen to an integer, half-up (for one-off scalar amounts)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_YUAN_TEXT = __import__("re").compile(r"[0-9]+(?:\.[0-9]{1,2})?")


def parse_amount(value: object) -> Decimal:
    """An amount in yuan as a person types it or a JSON document gives it, strictly: ASCII digits
    with at most 2 decimals ("750", "750.5", 750, Decimal("750.50")); never an exponent ("1e5"),
    full-width or other non-ASCII digits ("７５０"), a sign or a boolean; a JSON number read as a
    float is taken by its shortest text (750.5, not 1e+20). ValueError otherwise.
    The one parser of every money field of the application (doudi.web.money)."""
    if isinstance(value, bool):
        raise ValueError("an amount is written in digits, not as a boolean")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError("an amount is not negative")
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
            raise ValueError("an amount is finite, not negative, with at most 2 decimals")
        return value
    text = str(value).strip()
    if not _YUAN_TEXT.fullmatch(text):
        raise ValueError("an amount in ASCII digits with at most 2 decimals")
    return Decimal(text)

"""Amounts in capital numerals (人民币大写), as written on decisions: 1040.00 → 壹仟零肆拾元整."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def _group(n: int) -> str:
    """0 < n < 10000 as capitals, with inner zeros written once (1040 → 壹仟零肆拾)."""
    out = []
    zero = False
    for pos in range(3, -1, -1):
        d = n // 10 ** pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + SMALL_UNITS[pos])
    return "".join(out)


def _yuan(n: int) -> str:
    if n == 0:
        return ""
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = []
    pending_zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out.append("零")
        pending_zero = False
        out.append(_group(g) + BIG_UNITS[i])
    return "".join(out)


def capital_yuan(amount: Decimal | int | str, *, fen: bool = False) -> str:
    """人民币大写 of an amount in yuan (or in fen when `fen=True`).

    >>> capital_yuan(Decimal("1040.00"))
    '壹仟零肆拾元整'
    """
    if fen:
        total = int(amount)
    else:
        total = int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if total < 0:
        return "负" + capital_yuan(-total, fen=True)
    yuan, rest = divmod(total, 100)
    jiao, fen_ = divmod(rest, 10)
    if total == 0:
        return "零元整"
    head = _yuan(yuan)
    out = head + "元" if head else ""
    if jiao == 0 and fen_ == 0:
        return out + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif head:
        out += "零"
    if fen_:
        out += DIGITS[fen_] + "分"
    else:
        out += "整"
    return out

from decimal import Decimal

import pytest

from doudi.cases.numerals import capital_yuan


@pytest.mark.parametrize("amount, expected", [
    # 1040 = 1 thousand, no hundreds (one 零), 4 tens, no units
    ("1040.00", "壹仟零肆拾元整"),
    ("1004", "壹仟零肆元整"),
    ("10", "壹拾元整"),
    ("0", "零元整"),
    ("900.00", "玖佰元整"),
    # 100000 = 10 万
    ("100000", "壹拾万元整"),
    # 100100 = 10 万, empty thousands, 1 hundred
    ("100100", "壹拾万零壹佰元整"),
    # 1010000 = 101 万 (zero hundreds-of-ten-thousand inside the group)
    ("1010000", "壹佰零壹万元整"),
    # 10005 = 1 万, 0005 → 零伍
    ("10005", "壹万零伍元整"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("10.05", "壹拾元零伍分"),
    ("0.50", "伍角整"),
    ("0.05", "伍分"),
    ("350.40", "叁佰伍拾元肆角整"),
])
def test_amounts_are_written_in_capital_numerals(amount, expected):
    assert capital_yuan(Decimal(amount)) == expected


def test_capital_numerals_take_fen():
    # 104000 fen = 1040.00 yuan
    assert capital_yuan(104000, fen=True) == "壹仟零肆拾元整"

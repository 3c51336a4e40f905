"""Resident ID numbers (GB 11643-1999).

Check characters are worked out by hand: Σ dᵢ·wᵢ with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
then "10X98765432"[sum mod 11].
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.policy.identity import check_character, is_valid, mask_id_number, parse_id_number

TODAY = dt.date(2024, 6, 1)

# 62042219700101001?: 6·7+2·9+0·10+4·5+2·8+2·4 = 42+18+0+20+16+8 = 104; 1·2+9·1+7·6+0·3 = 2+9+42+0 = 53;
# 0·7+1·9+0·10+1·5 = 0+9+0+5 = 14; 0·8+0·4+1·2 = 2.  104+53+14+2 = 173; 173 mod 11 = 8 -> "4"
HUINING_1970_MAN = "620422197001010014"
# 15020219851212002?: 1·7+5·9+0·10+2·5+0·8+2·4 = 7+45+0+10+0+8 = 70; 1·2+9·1+8·6+5·3 = 2+9+48+15 = 74;
# 1·7+2·9+1·10+2·5 = 7+18+10+10 = 45; 0·8+0·4+2·2 = 4.  70+74+45+4 = 193; 193 mod 11 = 6 -> "6"
BAOTOU_WOMAN = "150202198512120026"
# 11010519491231002?: 1·7+1·9+0·10+1·5+0·8+5·4 = 7+9+0+5+0+20 = 41; 1·2+9·1+4·6+9·3 = 2+9+24+27 = 62;
# 1·7+2·9+3·10+1·5 = 7+18+30+5 = 60; 0·8+0·4+2·2 = 4.  41+62+60+4 = 167; 167 mod 11 = 2 -> "X"
BEIJING_WOMAN_X = "11010519491231002X"
# 62242119600505003?: 6·7+2·9+2·10+4·5+2·8+1·4 = 42+18+20+20+16+4 = 120; 1·2+9·1+6·6+0·3 = 2+9+36+0 = 47;
# 0·7+5·9+0·10+5·5 = 0+45+0+25 = 70; 0·8+0·4+3·2 = 6.  120+47+70+6 = 243; 243 mod 11 = 1 -> "0"
DINGXI_COUNTY_1960 = "622421196005050030"  # 定西县: a code of 定西地区, no longer in force


def test_check_character_is_the_weighted_sum_mod_11_looked_up_in_10x98765432() -> None:
    assert check_character("62042219700101001") == "4"
    assert check_character("15020219851212002") == "6"
    assert check_character("11010519491231002") == "X"
    assert check_character("62242119600505003") == "0"


def test_a_huining_man_born_1970_is_accepted_although_the_code_620422_dates_from_1985() -> None:
    info = parse_id_number(HUINING_1970_MAN, TODAY)
    assert info.address_code == "620422"
    assert info.birth_date == dt.date(1970, 1, 1)
    assert info.sex == "M"  # sequence 001: odd


def test_an_even_sequence_digit_is_a_woman() -> None:
    info = parse_id_number(BAOTOU_WOMAN, TODAY)
    assert (info.address_code, info.birth_date, info.sex) == ("150202", dt.date(1985, 12, 12), "F")


def test_a_check_character_x_is_accepted_in_either_case() -> None:
    assert parse_id_number(BEIJING_WOMAN_X, TODAY).sex == "F"
    assert parse_id_number(BEIJING_WOMAN_X.lower(), TODAY).birth_date == dt.date(1949, 12, 31)


def test_a_code_that_no_longer_exists_is_accepted() -> None:
    info = parse_id_number(DINGXI_COUNTY_1960, TODAY)
    assert (info.address_code, info.sex) == ("622421", "M")


def test_surrounding_spaces_are_ignored() -> None:
    assert parse_id_number(f"  {HUINING_1970_MAN} ", TODAY).address_code == "620422"


def test_a_wrong_check_character_is_refused_and_the_right_one_named() -> None:
    # 62042219800101001?: as HUINING_1970_MAN but digit 9 is 8 (×6): 173 - 42 + 48 = 179; 179 mod 11 = 3 -> "9"
    # (interfaces.md's example 62042219800101001X has a wrong check character)
    with pytest.raises(ValueError, match="check character.*give 9, not X"):
        parse_id_number("62042219800101001X", TODAY)
    assert parse_id_number("620422198001010019", TODAY).birth_date == dt.date(1980, 1, 1)


@pytest.mark.parametrize("number", ["", "62042219700101001", "6204221970010100144", "62042219700101001Y",
                                    "6204221970010100X4", "６２０４２２１９７００１０１００１４"])
def test_a_number_of_the_wrong_shape_is_refused(number: str) -> None:
    with pytest.raises(ValueError, match="18-character"):
        parse_id_number(number, TODAY)


def test_a_number_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(ValueError, match="as a string"):
        parse_id_number(620422197001010014, TODAY)


def test_a_birth_date_that_does_not_exist_is_refused() -> None:
    # 62042219800230001?: 104 + (1·2+9·1+8·6+0·3 = 59) + (0·7+2·9+3·10+0·5 = 48) + (0+0+1·2 = 2) = 213;
    # 213 mod 11 = 4 -> "8"; checksum right, but 30 February does not exist
    with pytest.raises(ValueError, match="real birth date.*19800230"):
        parse_id_number("620422198002300018", TODAY)


def test_a_birth_date_in_the_future_is_refused() -> None:
    # 62042220990101001?: 104 + (2·2+0·1+9·6+9·3 = 85) + (0·7+1·9+0·10+1·5 = 14) + 2 = 205; 205 mod 11 = 7 -> "5"
    with pytest.raises(ValueError, match="not after today"):
        parse_id_number("620422209901010015", TODAY)
    assert not is_valid("620422209901010015", TODAY)


def test_a_birth_date_of_today_is_accepted() -> None:
    # 62042219700101001? with date 20240601: 104 + (2·2+0·1+2·6+4·3 = 28) + (0·7+6·9+0·10+1·5 = 59) + 2 = 193;
    # 193 mod 11 = 6 -> "6"
    assert parse_id_number("620422202406010016", TODAY).birth_date == TODAY


def test_an_address_code_that_never_existed_is_refused() -> None:
    # 99999919800101001?: 9·(7+9+10+5+8+4) = 387; + 1·2+9·1+8·6 = 59; + 1·9 + 1·5 = 14; + 1·2 = 2;
    # 387+59+14+2 = 462; 462 mod 11 = 0 -> "1"
    with pytest.raises(ValueError, match="address code.*999999"):
        parse_id_number("999999198001010011", TODAY)


def test_mask_shows_the_first_six_and_last_four_characters() -> None:
    assert mask_id_number(HUINING_1970_MAN) == "620422********0014"
    assert mask_id_number("12345") == "*****"

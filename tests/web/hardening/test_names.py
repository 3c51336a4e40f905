"""One name validator (issue 16 item 6): no bidi overrides, emoji floods or combining-mark stacks."""

import pytest
from django.core.exceptions import ValidationError

from doudi.registry.models import validate_person_name

from ..conftest import make_id_number

BAD = ["张\u202e三", "\u202e建国", "王\u200b芳", "😀😀😀😀😀😀", "李😀", "Z\u0301\u0302\u0303\u0304algo", "张三１", "  ", "张\t三",
       "张  三", "♥李"]
GOOD = ["张三", "阿依古丽·买买提", "欧阳娜娜", "José", "Anne-Marie", "玛依拉・沙吾提"]


@pytest.mark.parametrize("name", BAD)
def test_a_bad_name_is_refused(name):
    with pytest.raises(ValidationError):
        validate_person_name(name)


@pytest.mark.parametrize("name", GOOD)
def test_a_real_name_is_accepted(name):
    validate_person_name(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["张\u202e三", "😀" * 40, "e" + "\u0301" * 30])
def test_adding_a_member_with_such_a_name_is_a_form_error_naming_the_field(client_for, huining_caseworker,
                                                                            huining_household, name):
    r = client_for(huining_caseworker).post(f"/api/v1/households/{huining_household.pk}/members/",
                                            {"name": name, "id_number": make_id_number(), "relation": "child"},
                                            content_type="application/json")
    assert r.status_code == 400 and "姓名" in r.json()["name"][0]
    assert huining_household.memberships_on().count() == 3

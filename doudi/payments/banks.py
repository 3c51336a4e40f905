"""Banks, account-number checks and the data of funds (data/banks.yaml, data/funds.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"


class PaymentError(ValueError):
    """Bad input or a step not allowed now; names the field (for forms, the API and the CLI)."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@cache
def _banks() -> dict[str, Any]:
    return yaml.safe_load((DATA / "banks.yaml").read_text(encoding="utf-8"))


@cache
def funds() -> dict[str, Any]:
    return yaml.safe_load((DATA / "funds.yaml").read_text(encoding="utf-8"))


def banks() -> dict[str, dict]:
    return _banks()["banks"]


def bank_name(code: str) -> str:
    return banks().get(code, {}).get("name", code)


def bank_choices() -> list[tuple[str, str]]:
    return [(k, v["name"]) for k, v in banks().items()]


def templates() -> dict[str, dict]:
    return _banks()["templates"]


def template(name: str) -> dict:
    try:
        return templates()[name]
    except KeyError:
        raise PaymentError(f"没有名为「{name}」的银行文件模板（可用：{'、'.join(templates())}）", "template") from None


def program_fund(program: str) -> dict:
    return funds()["programs"].get(program, {"fund": "其他", "rule": "PR-8", "source": ""})


def setting(name: str) -> Any:
    return funds()["settings"][name]["value"]


def luhn_ok(digits: str) -> bool:
    """The Luhn check (ISO/IEC 7812) of a card number: the last digit is the check digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def check_number(bank: str, raw: str) -> str:
    """The account number without spaces, checked against the bank's rule; PaymentError naming the field."""
    if bank not in banks():
        raise PaymentError(f"请选择开户银行（收到「{bank}」）", "bank")
    number = "".join(str(raw or "").split())
    rule = banks()[bank]
    name = rule["name"]
    if not number:
        raise PaymentError("请填写账号", "number")
    if not number.isdigit() or not number.isascii():
        raise PaymentError(f"账号只能由数字组成，收到「{raw}」", "number")
    if len(number) not in rule["lengths"]:
        lengths = "、".join(str(n) for n in rule["lengths"])
        raise PaymentError(f"{name}的账号应为 {lengths} 位，收到 {len(number)} 位", "number")
    if rule.get("luhn") and not luhn_ok(number):
        raise PaymentError(f"账号校验位不正确（{name}卡号按 Luhn 校验），请核对后重新填写", "number")
    return number

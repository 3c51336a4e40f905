"""Charity and union help (PR-10, WK-1) as plain Python: the needs board's anonymity check, the
union's three tiers, the 2% bought-services budget."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from doudi.procedure.flow import ProcedureError as _Base
from doudi.procedure.flow import load_params

DATA = Path(__file__).parent / "data" / "params.yaml"


class HelpError(_Base):
    """A needs-board or help record the rules refuse (field named, message in Chinese)."""


NEED_CATEGORIES = {"medical": "医疗", "schooling": "助学", "housing": "住房", "living": "基本生活", "care": "照护服务",
                   "employment": "就业", "other": "其他"}
SOURCES = {"case": "救助案件", "warning": "监测预警", "visit": "走访发现"}
HELP_KINDS = {"money": "资金", "goods": "物资", "service": "服务"}
GIVERS = {"charity": "慈善组织、社会组织", "union": "工会"}

# WK-1 (huining-2022 二(四)二): union help for workers in difficulty in three tiers.
UNION_TIERS = {"deep": "深度困难", "relative": "相对困难", "sudden": "意外致困"}
UNION_ITEMS = {"living": "生活救助", "medical": "医疗救助", "schooling": "助学救助", "legal": "法律援助",
               "training": "职业培训和职业介绍"}


def anonymised(text: str, secrets: Iterable[str]) -> str:
    """PR-10 with security.md: a published need says the village and the need, never who. The text
    is refused when it holds a member's name, ID number or the household's address."""
    text = (text or "").strip()
    if not text:
        raise HelpError("请填写需求内容", "text")
    for s in secrets:
        s = (s or "").strip()
        if len(s) >= 2 and s in text:
            raise HelpError("公开的需求不得含有姓名、身份证号或住址（只写村和需求）", "text")
    return text


@cache
def _params() -> dict:
    return load_params(DATA)


def bought_services_share() -> Decimal:
    return Decimal(str(_params()["bought_services_share"].value))


def bought_services_budget(assistance_funds_fen: int) -> int:
    """PR-10 (huining): the year's budget for services bought from social forces is 2 % of the
    assistance funds, rounded to the fen."""
    if assistance_funds_fen < 0:
        raise HelpError("救助资金不能为负数", "assistance_funds")
    return int((Decimal(assistance_funds_fen) * bought_services_share()).quantize(Decimal(1), ROUND_HALF_UP))

"""No household document, however odd, makes `doudi assess` crash: every field is given random
JSON values and the answer is a decision (0) or one line of bad input (2), never an internal error.

In-process (doudi.cli.main) so that hypothesis can try many documents quickly; the installed
command's messages are tested in test_assess_cli.py.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doudi.cli import main
from doudi.policy.schema import FIELDS

BASE: dict[str, Any] = {
    "region": "620422", "residence": "urban", "date": "2023-06-01",
    "members": [{"relation": "self", "birth_date": "1980-01-01", "sex": "M"}, {"relation": "child"}],
}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.sampled_from(["", "0", "-1", "1.005", "1e9", "NaN", "620422", "2023-02-29", "urban", "F", "abc",
                     "620422198001010019", "11010519491231002X"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                      max_leaves=5)
field_values = st.tuples(st.sampled_from(FIELDS), values)


def _put(doc: dict[str, Any], path: str, value: Any) -> None:
    *heads, leaf = path.split(".")
    node = doc
    for h in heads:
        if not isinstance(node.get(h), dict):
            node[h] = {}
        node = node[h]
    node[leaf] = value


def _run(doc: Any) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            rc = main(["assess", str(path), "--format", "json"])
    return rc, err.getvalue()


def _check(rc: int, err: str) -> None:
    assert "internal error" not in err and "Traceback" not in err, err
    assert rc in (0, 2), err
    if rc == 2:
        assert len(err.splitlines()) == 1 and ": expected " in err, err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(field_values, min_size=1, max_size=3), st.booleans())
def test_any_value_in_any_field_is_decided_or_refused_in_one_line(changes, on_member: bool) -> None:
    doc = copy.deepcopy(BASE)
    for f, value in changes:
        target = doc["members"][0] if f.level == "member" else doc
        _put(target, f.path, value)
    _check(*_run(doc))


@settings(max_examples=60, deadline=None)
@given(values)
def test_any_json_document_is_decided_or_refused_in_one_line(doc: Any) -> None:
    _check(*_run(doc))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["dibao.standard.urban", "dibao.disability_uplift", "tekun.basic_ratio",
                                        "temporary.max_months", "dibao.classes", "dibao.rigid_deduction.tiers",
                                        "no.such"]), values, max_size=2))
def test_any_override_is_applied_or_refused_in_one_line(overrides: dict[str, Any]) -> None:
    doc = copy.deepcopy(BASE)
    doc["overrides"] = overrides
    _check(*_run(doc))

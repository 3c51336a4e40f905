"""The decision JSON and text of many households, written to a file, to compare two code trees byte for byte
(a change that must not change any decision: speed work on the policy core).

    .venv/bin/python benchmarks/decisions_digest.py ROOT OUT      # ROOT: the tree to import doudi from
    .venv/bin/python benchmarks/decisions_digest.py /tmp/before /tmp/a.txt && \
    .venv/bin/python benchmarks/decisions_digest.py . /tmp/b.txt && cmp /tmp/a.txt /tmp/b.txt

Households: api_assess.synthetic(3000) and 3,000 random households that give a random part of the schema's
fields (disabilities, schooling, incomes of every kind, assets, hardship, medical bills, family planning,
overrides, ~2% invalid documents whose error must be the same) over 15 counties and 9 dates; each decided
alone with its trace (`assess`, JSON and the Chinese text), some with `sets`, `date` and `region`; then in
batches (`assess_many`, traced and not, with and without sets). Prints the line count and a digest.
EQUIV_RICH=N changes the number of random households.
"""

import hashlib
import json
import os
import random
import sys
import tempfile

root, out_path = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
sys.path.insert(0, root + "/benchmarks")
os.environ.setdefault("DOUDI_HOME", tempfile.mkdtemp(prefix="decisions-digest-"))
import api_assess  # noqa: E402 - its synthetic households (sets up Django on SQLite; unused here)

from doudi.policy import schema  # noqa: E402
from doudi.policy.engine import assess, assess_many  # noqa: E402
from doudi.policy.errors import InputError  # noqa: E402
from doudi.policy.params import default_policy  # noqa: E402

COUNTIES = ["620422", "620402", "620421", "620423", "150202", "150203", "150204", "150221", "150302", "150303",
            "150304", "620102", "150102", "620502", "110101"]
DATES = ["2016-05-01", "2018-03-01", "2020-07-15", "2022-01-01", "2022-04-15", "2023-06-01", "2024-06-01",
         "2025-01-01", "2026-12-01"]


def money(r):
    return r.choice([0, 0, 100, 250, 300.5, 600, 900, 1500, "3000.00", 12000, 50000, "123.45"])


def member(r, rel, date_year):
    m = {"relation": rel}
    if r.random() < 0.9:
        y = r.randint(1935, date_year)
        m["birth_date"] = f"{y}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    if r.random() < 0.5:
        m["name"] = r.choice(["张某", "李四", "王五", "赵六"])
    if r.random() < 0.2:
        m["sex"] = r.choice(["M", "F"])
    if r.random() < 0.2:
        m["disability"] = {"kind": r.choice(schema.DISABILITY_KINDS), "grade": r.randint(1, 4)}
    for k, vocab in (("work_ability", schema.ABILITY), ("self_care", schema.ABILITY)):
        if r.random() < 0.25:
            m[k] = r.choice(vocab)
    if r.random() < 0.1:
        m["self_care_tasks_unable"] = r.randint(0, 6)
    for flag in ("serious_illness", "pregnant", "nursing", "orphan", "de_facto_unsupported", "hiv_affected",
                 "institutional", "ethnic_minority", "lives_together", "single_person_application",
                 "chooses_child_allowance", "needs_long_term_care", "pension_insured", "employed",
                 "unemployment_insurance", "special_care_recipient", "needy_student"):
        if r.random() < 0.08:
            m[flag] = r.random() < 0.6 if flag != "lives_together" else r.random() < 0.3
    if r.random() < 0.25:
        m["school"] = {"stage": r.choice(schema.SCHOOL_STAGES)}
        if r.random() < 0.5:
            m["school"]["boarding"] = r.random() < 0.5
        if r.random() < 0.3:
            m["school"]["new_entrant"] = r.random() < 0.5
    if r.random() < 0.8:
        inc = {}
        for k in schema.COUNTED_INCOME + schema.NOT_COUNTED_INCOME:
            if r.random() < 0.2:
                inc[k] = money(r)
        m["monthly_income"] = inc
    if r.random() < 0.05:
        m["not_member_reason"] = r.choice(schema.NOT_MEMBER_REASONS)
    if r.random() < 0.08:
        m["refused_work_offers"] = r.randint(0, 3)
    if r.random() < 0.1:
        m["medical_out_of_pocket_this_year"] = money(r)
    if r.random() < 0.1:
        m["pension_scheme"] = r.choice(["residents", "employees"])
    return m


def household(r):
    date = r.choice(DATES)
    doc = {"region": r.choice(COUNTIES), "residence": r.choice(["urban", "rural"]), "date": date}
    if r.random() < 0.05:
        doc["region"] = doc["region"] + "100"  # a township code
    size = r.randint(1, 6)
    rels = ["self"] + [r.choice(schema.RELATIONS) for _ in range(size - 1)]
    doc["members"] = [member(r, rel, int(date[:4])) for rel in rels]
    if r.random() < 0.3:
        doc["spending_12m"] = {k: money(r) for k in schema.SPENDING if r.random() < 0.5}
    for k in ("medical_out_of_pocket_this_year", "household_income_last_year"):
        if r.random() < 0.2:
            doc[k] = money(r)
    if r.random() < 0.5:
        a = {}
        if r.random() < 0.5:
            a["financial"] = money(r)
        if r.random() < 0.5:
            a["homes"] = r.randint(0, 3)
        if r.random() < 0.5:
            a["living_space_m2"] = r.choice([0, 12.5, 40, 90, 200])
        if r.random() < 0.3:
            a["vehicles"] = r.randint(0, 2)
        if r.random() < 0.2:
            a["business"] = r.random() < 0.5
        doc["assets"] = a
    if r.random() < 0.2:
        doc["legal_supporters"] = r.choice(["none", "unable", "able"])
    if r.random() < 0.1:
        doc["dibao_class"] = r.choice(["A", "B", "C"])
    if r.random() < 0.3:
        h = {"kind": r.choice(schema.HARDSHIP_KINDS)}
        if r.random() < 0.5:
            h["people"] = r.randint(1, size)
        if r.random() < 0.5:
            h["months"] = r.randint(1, 12)
        if r.random() < 0.3:
            h["decided_amount"] = money(r)
        if r.random() < 0.2:
            h["reasoning"] = "一事一议"
        doc["hardship"] = h
    if r.random() < 0.3:
        b = {"in_policy_out_of_pocket": money(r)}
        if r.random() < 0.5:
            b["illness"] = r.choice(schema.ILLNESSES)
        if r.random() < 0.3:
            b["patient"] = r.randint(0, size - 1)
        if r.random() < 0.3:
            b["paid_this_year"] = money(r)
        doc["medical_bill"] = b
    if r.random() < 0.15:
        doc["family_planning"] = r.choice(schema.FAMILY_PLANNING)
    for flag in ("public_emergency_affected", "local_registration"):
        if r.random() < 0.1:
            doc[flag] = r.random() < 0.5
    if r.random() < 0.1:
        doc["overrides"] = r.choice([{"dibao.standard.urban": "700.00"}, {"dibao.disability_uplift": "0.30"},
                                     {"dibao.standard.rural": "500"}, {"tekun.basic_ratio": "1.3"}])
    if r.random() < 0.02:  # invalid input now and then: the error must be the same
        bad = r.choice([("members", []), ("residence", "town"), ("date", "2023-13-01"), ("assets", {"homes": -1}),
                        ("spending_12m", {"medical": "1.234"})])
        doc[bad[0]] = bad[1]
    return doc


def one(doc, policy, **kw):
    try:
        d = assess(doc, policy=policy, **kw)
        return {"json": d.as_json(), "text": d.as_text()}
    except InputError as exc:
        return {"error": [exc.where, exc.expected, repr(exc.got)]}
    except ValueError as exc:
        return {"valueerror": str(exc)}


def main():
    policy = default_policy()
    n_rich = int(os.environ.get("EQUIV_RICH", "3000"))
    r = random.Random(20261206)
    rich = [household(r) for _ in range(n_rich)]
    synth = api_assess.synthetic(3000, seed=7)
    lines = []
    for doc in synth + rich + [api_assess.HOUSEHOLD, api_assess.named_household()]:
        res = one(doc, policy)
        lines.append(json.dumps(res, ensure_ascii=False, sort_keys=False, default=str))
    # sets, as the API's ?set= and the CLI's --set give them
    for doc in rich[:300]:
        res = one(doc, policy, sets={"dibao.standard.urban": "720.00", "dibao.edge.single_person": "false"})
        lines.append(json.dumps(res, ensure_ascii=False, default=str))
    for doc in synth[:200]:
        res = one(doc, policy, date="2022-06-01", region="150203")
        lines.append(json.dumps(res, ensure_ascii=False, default=str))
    # the batch path: traced and not, many households in one decide
    good = [d for d in rich if "overrides" not in d and one(d, policy).get("json")]
    for traced in (True, False):
        for docs in (synth, good, synth[:1], good[:1], good[:7]):
            ds = assess_many(docs, policy=policy, traced=traced)
            lines.append(json.dumps([d.as_json() for d in ds], ensure_ascii=False, default=str))
        ds = assess_many(good[:500], policy=policy, traced=traced, sets={"dibao.standard.rural": "450.00"})
        lines.append(json.dumps([d.as_json() for d in ds], ensure_ascii=False, default=str))
    text = "\n".join(lines) + "\n"
    with open(out_path, "w") as f:
        f.write(text)
    print(out_path, len(lines), "lines", hashlib.sha256(text.encode()).hexdigest()[:16],
          "errors", sum('"error"' in line[:10] for line in lines))


if __name__ == "__main__":
    main()

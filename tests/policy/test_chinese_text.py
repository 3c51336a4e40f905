"""What a Chinese page shows of a decision is Chinese: `doudi assess --format text`, trace sentences
through doudi.policy.wording (issue 9, item 3). Rule ids stay (DB-1, NAT-DB-INCOME): they are how
a reader finds the rule."""

from __future__ import annotations

from builders import household, person
from hypothesis import HealthCheck, given, settings
from test_properties import households

from doudi.policy.engine import assess
from doudi.policy.wording import cite, cite_rules, english_words, for_citizen, zh_punct, zh_text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(households())
def test_the_text_explanation_of_any_household_has_no_english_words(doc):
    text = assess(doc).as_text()
    assert english_words(text) == [], text


def _named(region: str, residence: str = "urban", **fields) -> dict:
    # members named in Chinese, so that every Latin word left would come from the code or the data
    return household(region, [person(name="张某", wages=300), person("child", born="2010-05-01", name="张小",
                                                                     school={"stage": "junior", "boarding": True}),
                              person("child", born="2006-05-01", name="张大", grade=1,
                                     school={"stage": "bachelor", "new_entrant": True})],
                     residence=residence, date="2026-06-01", **fields)


def test_every_program_of_the_seed_regions_explains_itself_in_chinese():
    for region in ("620422", "620421", "150202", "150302", "150303", "110101"):
        for residence in ("urban", "rural"):
            doc = _named(region, residence, hardship={"kind": "fire", "people": 3},
                         medical_bill={"in_policy_out_of_pocket": 20000, "illness": "mental"},
                         assets={"homes": 0}, spending_12m={"medical": 12000})
            text = assess(doc).as_text()
            assert english_words(text) == [], (region, residence, text)


def test_a_source_is_cited_by_document_number_and_chinese_article():
    # huining-2022 is 会民发〔2022〕63号 (seeds/README.md); Art.12–13 of 民发〔2021〕57号
    assert cite("huining-2022 二(一)一.3 (the document leaves the figure to the county)") == "会民发〔2022〕63号 二（一）一.3"
    assert cite("NAT 民发〔2021〕57号 Art.12–13") == "民发〔2021〕57号 第十二条至第十三条"
    assert cite("NAT 国务院令第649号 (cf. wuhai-2014 五.6)") == "国务院令第649号（参照乌海政发〔2014〕73号 五.6）"
    assert cite("--set / overrides") == "本次指定值"


def test_a_citizen_reads_the_sentence_without_the_internal_remarks():
    assert for_citizen("城市低保标准 700.00 元/人·月,2022-01-01 起执行(占位值,待本地公布标准替换)") == \
        "城市低保标准 700.00 元/人·月，2022-01-01 起执行。"
    assert for_citizen("必要就业成本扣除未设定(参数「必要就业成本扣除」默认无),工资收入全额计入") == \
        "必要就业成本扣除未设定，工资收入全额计入。"


def test_chinese_sentences_get_full_width_punctuation_and_formulas_keep_theirs():
    assert zh_punct("无劳动能力: 李某(第2人);张小(第3人)") == "无劳动能力：李某（第2人）；张小（第3人）"
    assert zh_text("(700.00 - 400.00) × 3 = 900.00") == "(700.00 - 400.00) × 3 = 900.00。"


def test_rule_ids_in_written_reasons_become_the_clauses_they_cite():
    # NAT-DB-FRAUD is 社会救助暂行办法 (国务院令第649号) Art.68; TK-1 and TK-2 both cite huining-2022 二(一)一.3
    huining = ("NAT", "gansu-2017", "huining-2022")
    assert cite_rules("并处 1 倍罚款 1500.00 元(NAT-DB-FRAUD)", huining) == "并处 1 倍罚款 1500.00 元（国务院令第649号 第六十八条）"
    assert cite_rules("= 980.00 元/月(TK-1、TK-2)", huining) == "= 980.00 元/月（会民发〔2022〕63号 二（一）一.3）"

"""Every parameter has a Chinese label and unit beside its English definition (issue 9, item 3)."""

from __future__ import annotations

import re

from doudi.policy.params import default_policy

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def test_every_parameter_defined_nationally_has_a_chinese_label_and_unit():
    defs = default_policy().defs
    assert len(defs) > 100  # the national files define every parameter (126 when this was written)
    unlabelled = sorted(n for n, d in defs.items() if not d.label.strip())
    no_unit = sorted(n for n, d in defs.items() if not d.unit_label.strip())
    assert unlabelled == [] and no_unit == []


def test_labels_and_units_are_chinese_words_not_english():
    english = sorted(n for n, d in default_policy().defs.items()
                     if LATIN_WORD.search(d.label) or LATIN_WORD.search(d.unit_label))
    assert english == []


def test_the_urban_standard_reads_as_the_documents_name_it():
    d = default_policy().defs["dibao.standard.urban"]
    assert (d.label, d.unit_label) == ("城市低保标准", "元/人·月")

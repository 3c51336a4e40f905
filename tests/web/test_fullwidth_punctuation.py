"""Chinese UI text uses full-width punctuation (issue 9, "Smaller faults seen"): no ASCII , : ; ? !
beside a Chinese character, no ASCII ( ) around Chinese words, in

- every template (doudi/*/templates/**.html), its text outside template tags, HTML tags, scripts
  and styles (a tag is transparent: "{{ a }}，{{ b }}条" is checked as "，条");
- the message catalogues the pages and documents read their Chinese from: the department data
  kinds (names, column and choice labels, doudi/verification/data/kinds.yaml), the warning rules
  (names and what they watch, doudi/policy/data/warning_rules.yaml) and every parameter's Chinese
  label and unit (label, unit_zh in the policy data and each app's params.yaml).

Formulas and figures keep their ASCII signs ("(700.00 − 400.00) × 3", "1,000"): only punctuation
touching a Chinese character, or brackets around Chinese, counts. Trace sentences go through
doudi.policy.wording.zh_punct at display (tests/policy/test_chinese_text.py). A department file's
header still matches a label written with either width of brackets (doudi/verification/checks.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DOUDI = Path(__file__).resolve().parents[2] / "doudi"
CJK = "\u3400-\u9fff\uf900-\ufaff"
_TAGS = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]*>", re.S)
_BESIDE = re.compile(rf"[{CJK}] *[,;:!?]|[,;:!?] *[{CJK}]")
_BRACKETS = re.compile(r"\(([^()\n]*)\)")
CATALOGUE_KEYS = ("label", "unit_zh", "name", "watches")


def half_width(text: str) -> list[str]:
    """The ASCII punctuation of a Chinese text: beside a Chinese character, or brackets around Chinese words."""
    found = [m.group(0) for m in _BESIDE.finditer(text)]
    found += [m.group(0) for m in _BRACKETS.finditer(text) if re.search(f"[{CJK}]", m.group(1))]
    return found


def test_the_detector_finds_half_width_in_chinese_and_leaves_formulas():
    assert half_width("家庭签字:是,核对授权书(已签署)") == ["字:", "是,", "(已签署)"]
    assert half_width("(700.00 − 400.00) × 3 = 900.00,1,000 元") == []
    assert half_width("家庭签字：是，核对授权书（已签署）") == []


def test_no_template_has_half_width_punctuation_in_chinese_text():
    bad = {}
    for path in sorted(DOUDI.glob("*/templates/**/*.html")):
        found = half_width(_TAGS.sub("", path.read_text(encoding="utf-8")))
        if found:
            bad[str(path.relative_to(DOUDI))] = found[:5]
    assert bad == {}


def _catalogue_texts(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in CATALOGUE_KEYS and isinstance(v, str):
                yield (*path, k), v
            elif k == "choices" and isinstance(v, dict):
                for code, label in v.items():
                    yield (*path, k, str(code)), str(label)
            else:
                yield from _catalogue_texts(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _catalogue_texts(v, (*path, str(i)))


def _catalogues() -> list[Path]:
    files = [DOUDI / "verification" / "data" / "kinds.yaml", DOUDI / "policy" / "data" / "warning_rules.yaml"]
    files += sorted((DOUDI / "policy" / "data").glob("**/*.yaml"))  # every parameter's label and unit_zh
    files += sorted(DOUDI.glob("*/data/params.yaml")) + sorted(DOUDI.glob("*/data/procedure.yaml"))
    return list(dict.fromkeys(files))


def test_no_message_catalogue_has_half_width_punctuation_in_chinese_labels():
    bad = {}
    checked = 0
    for path in _catalogues():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in _catalogue_texts(data):
            checked += 1
            if half_width(text):
                bad[f"{path.relative_to(DOUDI)}:{'.'.join(where)}"] = text
    assert checked > 300 and bad == {}


def _po_messages(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (single-line entries, as doudi's are)."""
    out, msgid = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = line[6:].strip().strip('"')
        elif line.startswith("msgstr ") and msgid:
            out[msgid] = line[7:].strip().strip('"')
    return out


def test_the_gettext_catalogues_say_chinese_in_full_width_and_are_compiled():
    import gettext

    catalogues = sorted((DOUDI / "locale").glob("*/LC_MESSAGES/*.po"))
    assert catalogues
    for po in catalogues:
        messages = _po_messages(po)
        assert {k: v for k, v in messages.items() if half_width(v) or v in (":", ";", ",")} == {}, po
        with open(po.with_suffix(".mo"), "rb") as fh:
            mo = gettext.GNUTranslations(fh)
        assert {k: mo.gettext(k) for k in messages} == messages, f"{po}: run msgfmt -o django.mo django.po"


def test_a_form_label_ends_with_a_full_width_colon():
    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        opinion = forms.CharField(label="审批意见")

    with translation.override("zh-hans"):
        assert '<label for="id_opinion">审批意见：</label>' in Form().as_p()


def test_a_forms_python_labels_choices_and_errors_are_said_in_full_width_what_was_typed_stays():
    """The one renderer of every form (doudi/web/forms_renderer.py, settings.FORM_RENDERER)."""
    from django import forms
    from django.utils import translation

    from doudi.cases.forms import AcceptForm

    class Form(forms.Form):
        note = forms.CharField(label="说明(必填)", widget=forms.Textarea)
        kind = forms.ChoiceField(label="类别", choices=[("a", "其他(说明)")])
        count = forms.IntegerField(label="人数", error_messages={"invalid": "人数应为整数,如 3"})

    with translation.override("zh-hans"):
        form = Form(data={"note": "入户查看:仅一人前往", "kind": "a", "count": "三(人)"})
        assert not form.is_valid()
        html = str(form)
        assert "说明（必填）：" in html and "其他（说明）" in html and "人数应为整数，如 3" in html
        assert "入户查看:仅一人前往</textarea>" in html and 'value="三(人)"' in html  # as typed
        assert half_width(_TAGS.sub("", html.replace("入户查看:仅一人前往", ""))) == []
        # a label of the cases app written with ASCII brackets
        assert "村（居）委会成员的近亲属（备案）：" in str(AcceptForm())

"""The forms' renderer: what a form says in Chinese is said in full-width punctuation (issue 9).

Labels, help texts, choices and error messages are written in Python all over the apps
("近亲属(备案)", "审核意见:建议批准", a ProcedureError put back on its form); rather than each string,
the one renderer of every form (settings.FORM_RENDERER) gives the text of the HTML it renders the
punctuation of a Chinese sentence (doudi.policy.wording.zh_punct: "(备案)" → "（备案）", ":" → "："
beside Chinese; formulas and figures keep theirs). What the user typed is never changed: attribute
values (an input's value) and a textarea's content are left as they are.
"""

from __future__ import annotations

import re
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from doudi.policy.wording import zh_punct

_KEEP = re.compile(r"(<textarea\b.*?</textarea>|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>|&#?\w+;)",
                   re.S | re.I)  # tags, what was typed, and character references ("&#x27;") stay as they are
_CJK = re.compile(r"[\u3400-\u9fff]")
_HALF = re.compile(r"[,:;?!()]")


def full_width_text(html: str) -> str:
    """The HTML with its text nodes in Chinese punctuation; tags, attributes and textarea contents unchanged."""
    parts = _KEEP.split(html)
    for i in range(0, len(parts), 2):  # even parts are text between tags
        text = parts[i]
        if _CJK.search(text) and _HALF.search(text):
            parts[i] = zh_punct(text)
    return "".join(parts)


class ChineseFormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        return mark_safe(full_width_text(super().render(template_name, context, request=request)))

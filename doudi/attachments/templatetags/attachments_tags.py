"""``{% attachments_section obj %}``: the attachments of a household or a case, with the upload form.

Any page can show the section of its object without touching its view (the case pages of every
app, a verification request, a monitoring visit)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("attachments/_section.html", takes_context=True)
def attachments_section(context: Any, target: Any, title: str = "", heading: bool = True) -> dict:
    from doudi.attachments.views import section_context

    return section_context(context["request"], target, title=title, heading=heading)

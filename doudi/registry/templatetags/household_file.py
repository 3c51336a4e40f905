"""``{% render_section section %}``: one block of the household file, with its own template and context."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context: Any, section: Any) -> str:
    t = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return t.render(context)

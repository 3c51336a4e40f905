from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):  # noqa: ANN001, ANN201
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None

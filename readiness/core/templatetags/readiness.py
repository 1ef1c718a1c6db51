from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A value of a dict by a key held in a template variable."""
    return mapping.get(key) if mapping else None

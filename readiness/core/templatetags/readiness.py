from django import template

register = template.Library()


@register.filter
def join_if_list(value, sep=", "):
    if isinstance(value, list | tuple):
        return sep.join(str(v) for v in value) or "—"
    return value


@register.filter
def humanize_key(value: str) -> str:
    return str(value).replace("_", " ").capitalize()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None

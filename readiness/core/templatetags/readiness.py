import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A value of a dict by a key held in a template variable."""
    return mapping.get(key) if mapping else None


@register.filter
def moment(value, project=None):
    """A date-time as people read it, with its zone: “25 Nov 2026, 14:05 GMT”.

    In the active time zone (a project's pages activate the project's), or in `project`'s zone
    where a page lists several projects' rows."""
    if not isinstance(value, datetime.datetime):
        return ""
    zone = getattr(project, "zone", None)
    if timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    return f"{value:%-d %b %Y, %H:%M} {value.tzname() or ''}".rstrip()

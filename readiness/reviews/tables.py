"""A register's table as HTML, kept until the project changes.

The table (one page of rows with their sign-off badges and the filters) depends only on the
project's revision, the query string and whether the reader may edit; rendering it is most of a
register page's cost, so it is rendered once per (revision, query, edit right) and kept in the
cache (Redis when configured). It holds no CSRF token and nothing else personal.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from readiness.projects.models import Project
from readiness.registers.selectors import register_listing
from readiness.registers.specs import RegisterSpec
from readiness.reviews.selectors import item_signoff_states
from readiness.reviews.state import project_review_for

KEEP_SECONDS = 600


def _key(project: Project, spec: RegisterSpec, can_edit: bool, request: HttpRequest) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.lists()) if k != "_")
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"register-table:{project.pk}:{project.revision}:{spec.kind}:{int(can_edit)}:{digest}"


def register_table(request: HttpRequest, project: Project, spec: RegisterSpec) -> SafeString:
    can_edit = request.user.has_perm(f"projects.{spec.permission}", project)
    key = _key(project, spec, can_edit, request)
    html = cache.get(key)
    if html is None:
        context = {
            "project": project,
            "spec": spec,
            "can_edit": can_edit,
            "listing": register_listing(spec=spec, project=project, params=request.GET),
            "signoff_states": item_signoff_states(project_review_for(request, project), spec.kind),
        }
        html = render_to_string("registers/list.html#register-table", context, request=request)
        cache.set(key, html, KEEP_SECONDS)
    return mark_safe(html)  # noqa: S308  (our own rendered template)

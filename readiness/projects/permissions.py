"""Who may do what on a project, declared once with `rules`.

Predicates read the role the access helper attached to the project (`project.my_role`), so a
permission check costs no query after the project was fetched.
"""

import rules

from readiness.projects.models import Role


def role_of(user, project) -> str | None:
    if not user.is_authenticated or project is None:
        return None
    role = getattr(project, "my_role", None)
    if role is None:
        role = project.memberships.filter(user=user).values_list("role", flat=True).first() or ""
        project.my_role = role
    return role or None


@rules.predicate
def is_member(user, project) -> bool:
    return role_of(user, project) is not None


@rules.predicate
def is_lead(user, project) -> bool:
    return role_of(user, project) == Role.LEAD


@rules.predicate
def is_editor(user, project) -> bool:
    return role_of(user, project) in {Role.LEAD, Role.CONTRIBUTOR}


rules.add_perm("projects.view_project", is_member)
rules.add_perm("projects.edit_registers", is_editor)
rules.add_perm("projects.manage_project", is_lead)
rules.add_perm("projects.answer_checks", is_editor)
rules.add_perm("projects.request_dossier", is_member)

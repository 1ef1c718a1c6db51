from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from readiness.core.locking import save_versioned
from readiness.projects.forms import ProjectForm
from readiness.projects.models import Membership, Project, Role


class LastLeadError(Exception):
    """A project must keep at least one lead."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "project"
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def project_create(*, form: ProjectForm, creator: AbstractBaseUser) -> Project:
    project = form.save(commit=False)
    project.slug = _unique_slug(project.name)
    project.save()
    Membership.objects.create(project=project, user=creator, role=Role.LEAD)
    return project


def project_update(*, form: ProjectForm) -> Project:
    return save_versioned(form)


def member_add(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    return Membership.objects.create(project=project, user=user, role=role)


def _other_leads(membership: Membership) -> bool:
    return (
        Membership.objects.filter(project=membership.project_id, role=Role.LEAD)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def member_change_role(*, membership: Membership, role: str) -> Membership:
    if membership.role == Role.LEAD and role != Role.LEAD and not _other_leads(membership):
        raise LastLeadError
    membership.role = role
    membership.save(update_fields=["role", "updated"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    if membership.role == Role.LEAD and not _other_leads(membership):
        raise LastLeadError
    membership.delete()

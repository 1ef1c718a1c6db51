from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from readiness.core.content import content_diff, item_content
from readiness.core.locking import DuplicateEntry, save_versioned
from readiness.projects.activity import activity_record, person_name, project_lock
from readiness.projects.forms import ProjectForm
from readiness.projects.models import ActivityAction, ActivityVia, Membership, Project, Role


class LastLeadError(Exception):
    """A project must keep at least one lead."""


class AlreadyMember(Exception):
    """The user became a member a moment ago (a concurrent add)."""


SLUG_ATTEMPTS = 5


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "project"
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def project_create(*, form: ProjectForm, creator: AbstractBaseUser) -> Project:
    """Create a project led by its creator; DuplicateEntry (the form says why) when a
    concurrent create took the same name first."""
    project = form.save(commit=False)
    for attempt in range(SLUG_ATTEMPTS):
        project.slug = _unique_slug(project.name)
        try:
            with transaction.atomic():
                project.save()
            break
        except IntegrityError:
            # Either the name was taken (the form says so now) or only the slug: take the next.
            project.pk = None
            form.full_clean()
            if not form.is_valid():
                raise DuplicateEntry from None
            if attempt == SLUG_ATTEMPTS - 1:
                raise
    Membership.objects.create(project=project, user=creator, role=Role.LEAD)
    activity_record(
        project=project,
        actor=creator,
        action=ActivityAction.CREATED,
        target_kind="project",
        target_id=project.pk,
        target_name=project.name,
        summary=f"created the project “{project.name}”",
        changes=content_diff(Project, None, item_content(project)),
    )
    return project


@transaction.atomic
def project_update(
    *, form: ProjectForm, user: AbstractBaseUser | None, via: str = ActivityVia.WEB
) -> Project:
    project = form.instance
    before = item_content(Project.objects.get(pk=project.pk))
    # Never write the revision or the history's head from memory: they may have moved on.
    save_versioned(form, exclude=["revision", "history_head"])
    changes = content_diff(Project, before, item_content(project))
    if changes:
        activity_record(
            project=project,
            actor=user,
            action=ActivityAction.CHANGED,
            target_kind="project",
            target_id=project.pk,
            target_name=project.name,
            summary="changed the project settings: " + ", ".join(c["label"] for c in changes),
            changes=changes,
            via=via,
        )
    return project


def _record_member(project, user, action, membership, summary, changes=None, via=ActivityVia.WEB):
    activity_record(
        project=project,
        actor=user,
        action=action,
        target_kind="member",
        target_id=membership.user_id,
        target_name=person_name(membership.user),
        summary=summary,
        changes=changes,
        via=via,
    )


def _role_change(old: str | None, new: str | None) -> list[dict]:
    label = dict(Role.choices)
    return [
        {
            "field": "role",
            "label": "Role",
            "old": label.get(old, "—") if old else "—",
            "new": label.get(new, "—") if new else "—",
        }
    ]


@transaction.atomic
def member_add(
    *, project: Project, user: AbstractBaseUser, role: str, by: AbstractBaseUser | None = None
) -> Membership:
    project_lock(project)  # two leads adding the same person at once: the second is told
    if Membership.objects.filter(project=project, user=user).exists():
        raise AlreadyMember
    membership = Membership.objects.create(project=project, user=user, role=role)
    _record_member(
        project,
        by,
        ActivityAction.CREATED,
        membership,
        f"added {person_name(user)} as {membership.get_role_display().lower()}",
        _role_change(None, role),
    )
    return membership


def _locked_membership(membership: Membership) -> Membership:
    """Lock the project, then read the membership again: concurrent role changes go in turn."""
    project_lock(membership.project)
    return Membership.objects.select_related("user", "project").get(pk=membership.pk)


def _other_leads(membership: Membership) -> bool:
    return (
        Membership.objects.filter(project=membership.project_id, role=Role.LEAD)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def member_change_role(
    *, membership: Membership, role: str, by: AbstractBaseUser | None = None
) -> Membership:
    current = _locked_membership(membership)
    if current.role == Role.LEAD and role != Role.LEAD and not _other_leads(current):
        raise LastLeadError
    if current.role == role:
        return current
    old = current.role
    current.role = role
    current.save(update_fields=["role", "updated"])
    membership.role = role
    _record_member(
        current.project,
        by,
        ActivityAction.CHANGED,
        current,
        f"made {person_name(current.user)} {current.get_role_display().lower()}",
        _role_change(old, role),
    )
    return current


@transaction.atomic
def member_remove(*, membership: Membership, by: AbstractBaseUser | None = None) -> None:
    current = _locked_membership(membership)
    if current.role == Role.LEAD and not _other_leads(current):
        raise LastLeadError
    current.delete()
    _record_member(
        current.project,
        by,
        ActivityAction.DELETED,
        current,
        f"removed {person_name(current.user)} from the project",
        _role_change(current.role, None),
    )

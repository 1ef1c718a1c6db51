"""Writes of register items. Each records its change in the project's activity history."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Model, ProtectedError
from django.utils import timezone

from readiness.core.content import content_diff, item_content
from readiness.core.locking import VersionedForm, save_versioned
from readiness.projects.activity import activity_record, person_name, project_lock
from readiness.projects.models import ActivityAction, ActivityVia, Project
from readiness.registers.attachments import CheckedAttachment
from readiness.registers.models import ExceptionCase, TestResult, TestRun
from readiness.registers.specs import SPECS, RegisterSpec, spec_for_model


def _content(spec: RegisterSpec, project: Project, pk: int) -> dict | None:
    item = spec.queryset(project).filter(pk=pk).first()
    return item_content(item) if item is not None else None


def _named_contents(spec: RegisterSpec, project: Project, pks) -> dict[int, tuple[str, dict]]:
    return {
        item.pk: (str(item), item_content(item))
        for item in spec.queryset(project).filter(pk__in=pks)
    }


def _record(project, user, action, spec, pk, name, changes, via, what=""):
    verb = dict(ActivityAction.choices)[action]
    summary = f"{verb} {spec.singular} “{name}”"
    if what:
        summary += f": {what}"
    activity_record(
        project=project,
        actor=user,
        action=action,
        target_kind=spec.kind,
        target_id=pk,
        target_name=name,
        summary=summary,
        changes=changes,
        via=via,
    )


@transaction.atomic
def register_item_save(
    *,
    spec: RegisterSpec,
    form: VersionedForm,
    user: AbstractBaseUser | None,
    via: str = ActivityVia.WEB,
) -> Model:
    """Create or update a register item; raises EditConflict on a stale form."""
    project = form.project
    creating = form.instance.pk is None
    before = None if creating else _content(spec, project, form.instance.pk)
    item = save_versioned(form)
    after = _content(spec, project, item.pk)
    changes = content_diff(spec.model, before, after)
    if creating or changes:
        what = "" if creating else ", ".join(c["label"] for c in changes)
        action = ActivityAction.CREATED if creating else ActivityAction.CHANGED
        _record(project, user, action, spec, item.pk, str(item), changes, via, what)
    return item


def _referrers(item: Model, project: Project) -> dict[tuple[str, int], tuple[str, dict]]:
    """Names and contents of the register items that point at `item`: a delete may change or
    remove them (a cleared owner, a duty scoped to a deleted handoff)."""
    found: dict[tuple[str, int], tuple[str, dict]] = {}
    for rel in item._meta.related_objects:
        spec = spec_for_model(rel.related_model)
        if spec is None:
            continue
        pks = rel.related_model.objects.filter(**{rel.field.name: item}).values("pk")
        for pk, named in _named_contents(spec, project, pks).items():
            found[(spec.kind, pk)] = named
    return found


class DeleteRefused(Exception):
    """Something still depends on the item; the message says what, for the user."""


@transaction.atomic
def register_item_delete(
    *,
    spec: RegisterSpec,
    item: Model,
    user: AbstractBaseUser | None,
    via: str = ActivityVia.WEB,
) -> None:
    """Delete an item and record it with its values, and what the delete did to other items."""
    project = item.project
    before = item_content(item)
    name, pk = str(item), item.pk
    referrers = _referrers(item, project)
    try:
        with transaction.atomic():
            item.delete()
    except ProtectedError as e:
        uses = sorted({str(obj) for obj in e.protected_objects})
        raise DeleteRefused(
            f"“{name}” cannot be deleted while it is still needed: {'; '.join(uses)}. "
            "Change that first."
        ) from None
    _record(
        project,
        user,
        ActivityAction.DELETED,
        spec,
        pk,
        name,
        content_diff(spec.model, before, None),
        via,
    )
    for (kind, other_pk), (other_name, old) in referrers.items():
        other_spec = SPECS[kind]
        new = _content(other_spec, project, other_pk)
        changes = content_diff(other_spec.model, old, new)
        if not changes:
            continue
        action = ActivityAction.DELETED if new is None else ActivityAction.CHANGED
        what = f"with {spec.singular} “{name}”"
        if new is not None:
            what = f"{', '.join(c['label'] for c in changes)} cleared {what}"
        _record(project, user, action, other_spec, other_pk, other_name, changes, via, what)


@transaction.atomic
def test_run_add(
    *,
    case: ExceptionCase,
    run: TestRun,
    user: AbstractBaseUser | None,
    attachment: CheckedAttachment | None = None,
    via: str = ActivityVia.WEB,
) -> TestRun:
    """Record a run (an unsaved instance) of an exception case's test; the case's test status
    becomes its result.

    Runs are never edited. The case's status, date and evidence follow the latest run, so a
    sign-off of the decision goes stale when a new result comes in.
    """
    project = case.project
    project_lock(project)
    case = ExceptionCase.objects.select_for_update().get(pk=case.pk)
    before = _content(SPECS["exceptions"], project, case.pk)
    run.project = project
    run.exception_case = case
    run.recorded_by = user
    run.recorded_by_name = person_name(user) or dict(ActivityVia.choices).get(via, "")
    if attachment is not None:
        run.attachment_name = attachment.name
        run.attachment_type = attachment.content_type
        run.attachment_size = attachment.size
        run.attachment_sha256 = attachment.sha256
    if run.result == TestResult.PASSED and not run.evidence.strip():
        raise TestRunRefused("A passed run needs its evidence: what was done and what was seen.")
    latest = case.test_runs.order_by("-run_on").values_list("run_on", flat=True).first()
    if latest is not None and run.run_on < latest:
        raise TestRunRefused(
            f"The previous run is dated {latest:%-d %b %Y}; a new run cannot be older."
        )
    run.save()
    ExceptionCase.objects.filter(pk=case.pk).update(
        test_status=run.result,
        tested_on=run.run_on,
        evidence=_case_evidence(run),
        version=F("version") + 1,
        updated=timezone.now(),
    )
    after = _content(SPECS["exceptions"], project, case.pk)
    changes = content_diff(ExceptionCase, before, after)
    activity_record(
        project=project,
        actor=user,
        action=ActivityAction.TESTED,
        target_kind="exceptions",
        target_id=case.pk,
        target_name=str(case),
        summary=f"recorded a test run of exception case “{case}”: "
        f"{run.get_result_display().lower()} on {run.run_on:%-d %b %Y}, run by {run.tester}",
        changes=changes,
        via=via,
    )
    return run


class TestRunRefused(Exception):
    """A run that cannot be recorded; the message says why, for the user."""


def _case_evidence(run: TestRun) -> str:
    lines = [run.evidence.strip()] if run.evidence.strip() else []
    if run.attachment_name:
        lines.append(f"Attached: {run.attachment_name} (SHA-256 {run.attachment_sha256})")
    return "\n".join(lines)

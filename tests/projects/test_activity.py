"""The activity history: every kind of write records who changed what, field by field, and the
Activity page shows it to every member (filtered, paged, at a cost flat in history length)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from readiness.projects.activity import activity_record
from readiness.projects.models import ActivityAction, ActivityEntry, Membership, Project, Role
from readiness.registers.models import Duty, DutyKind, Handoff
from readiness.reviews.models import Acceptance, Risk, SignOff
from readiness.reviews.selectors import project_review
from tests.factories import (
    DataElementFactory,
    DutyFactory,
    ExceptionCaseFactory,
    HandoffFactory,
    OwnerFactory,
    SystemFactory,
    UserFactory,
    accountable_executive,
    create_data,
    edit_data,
)
from tests.reviews.support import (
    HTMX,
    action_url,
    answer_all,
    answer_url,
    clean_handoff,
    item_signoff_url,
    item_url,
    member_owner,
    name_signatory,
)

# The app's own revision bumps are under test: the factories' shim (conftest.py) stays off.
pytestmark = [pytest.mark.django_db, pytest.mark.no_revision_shim]


def _entries(project) -> list[ActivityEntry]:
    return list(ActivityEntry.objects.filter(project=project).order_by("seq"))


def _last(project) -> ActivityEntry:
    return ActivityEntry.objects.filter(project=project).latest("seq")


def _new(project, since: int) -> list[ActivityEntry]:
    return list(ActivityEntry.objects.filter(project=project, seq__gt=since).order_by("seq"))


def _seq(project) -> int:
    last = ActivityEntry.objects.filter(project=project).order_by("-seq").first()
    return last.seq if last else 0


def _diff(entry) -> dict:
    return {c["field"]: (c["old"], c["new"]) for c in entry.changes}


def _register_url(project, name, kind, item=None) -> str:
    kwargs = {"slug": project.slug, "kind": kind}
    if item is not None:
        kwargs["pk"] = item.pk
    return reverse(f"registers:{name}", kwargs=kwargs)


def _revision(project) -> int:
    return Project.objects.values_list("revision", flat=True).get(pk=project.pk)


# --- Register items ----------------------------------------------------------------------


def test_it_records_a_new_register_item_with_its_values(contributor_client, contributor, project):
    response = contributor_client.post(
        _register_url(project, "item-create", "handoffs"),
        create_data("handoffs", name="Order to warehouse", trigger="Order confirmed"),
    )
    assert response.status_code == 302
    handoff = Handoff.objects.get()
    entry = _last(project)
    assert (entry.actor, entry.actor_name, entry.via) == (contributor, "Contributor Example", "web")
    assert (entry.action, entry.target_kind, entry.target_id) == ("created", "handoffs", handoff.pk)
    assert entry.summary == "created handoff “Order to warehouse”"
    diff = _diff(entry)
    assert diff["name"] == ("—", "Order to warehouse")
    assert diff["trigger"] == ("—", "Order confirmed")
    assert diff["mechanism"] == ("—", "Manual: e-mail")  # the label, not the stored value
    assert "from_team" not in diff  # a field left empty is no news


def test_it_records_an_edit_field_by_field_from_old_to_new(
    contributor_client, contributor, project
):
    erp, crm = (
        SystemFactory(project=project, name="ERP"),
        SystemFactory(project=project, name="CRM"),
    )
    element = DataElementFactory(
        project=project, name="Customer", criticality="important", consuming_systems=[erp]
    )
    steward = OwnerFactory(project=project, name="Dana Steward")
    data = edit_data(
        "data-elements",
        element,
        criticality="critical",
        consuming_systems=[erp.pk, crm.pk],
        steward=steward.pk,
        truth_disputed=True,
    )
    revision = _revision(project)

    response = contributor_client.post(
        _register_url(project, "item-edit", "data-elements", element), data
    )

    assert response.status_code == 302
    entry = _last(project)
    assert (entry.actor, entry.action, entry.target_id) == (contributor, "changed", element.pk)
    assert entry.summary.startswith("changed data element “Customer”: ")
    assert _diff(entry) == {
        "criticality": ("Important", "Cannot be wrong"),
        "consuming_systems": ("ERP", "CRM, ERP"),
        "truth_disputed": ("No", "Yes"),
    }
    labels = [c["label"] for c in entry.changes]
    assert "Criticality" in labels and "System of truth disputed" in labels
    assert _revision(project) == revision + 1


def test_it_records_nothing_when_a_save_changes_nothing(contributor_client, project):
    element = DataElementFactory(project=project, name="Customer")
    before = _seq(project)
    url = _register_url(project, "item-edit", "data-elements", element)
    assert contributor_client.post(url, edit_data("data-elements", element)).status_code == 302
    assert _seq(project) == before


def test_it_records_a_deleted_item_with_the_values_it_had(lead_client, lead, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse", trigger="Order confirmed")
    before = _seq(project)
    lead_client.post(_register_url(project, "item-delete", "handoffs", handoff))
    [entry] = _new(project, before)
    assert (entry.actor, entry.action, entry.target_kind) == (lead, "deleted", "handoffs")
    assert entry.summary == "deleted handoff “Order to warehouse”"
    diff = _diff(entry)
    assert diff["name"] == ("Order to warehouse", "—")
    assert diff["trigger"] == ("Order confirmed", "—")


def test_it_records_what_a_delete_did_to_the_items_pointing_at_it(lead_client, lead, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse")
    DutyFactory(project=project, kind=DutyKind.REVIEW_FAILURES, handoff=handoff, notes="Daily.")
    case = ExceptionCaseFactory(project=project, name="Order without region", handoff=handoff)
    before = _seq(project)

    lead_client.post(
        _register_url(project, "item-delete", "handoffs", handoff),
        {"also": ["Reviews failures — Order to warehouse"]},
    )

    entries = {(e.target_kind, e.action): e for e in _new(project, before)}
    assert set(entries) == {
        ("handoffs", "deleted"),
        ("duties", "deleted"),
        ("exceptions", "changed"),
    }
    duty = entries[("duties", "deleted")]
    assert duty.summary == (
        "deleted duty “Reviews failures — Order to warehouse”: with handoff “Order to warehouse”"
    )
    assert _diff(duty)["notes"] == ("Daily.", "—")
    cleared = entries[("exceptions", "changed")]
    assert cleared.target_id == case.pk
    assert cleared.summary == (
        "changed exception case “Order without region”: Handoff cleared with handoff "
        "“Order to warehouse”"
    )
    assert _diff(cleared) == {"handoff": ("Order to warehouse", "—")}
    assert {e.actor for e in entries.values()} == {lead}
    assert not Duty.objects.exists()


def test_it_records_the_references_a_deleted_owner_and_element_leave_behind(lead_client, project):
    dana = OwnerFactory(project=project, name="Dana Steward")
    customer = DataElementFactory(project=project, name="Customer", steward=dana)
    order = DataElementFactory(project=project, name="Order")
    handoff = HandoffFactory(
        project=project,
        name="Order to warehouse",
        receiving_owner=dana,
        data_elements=[customer, order],
    )
    before = _seq(project)
    lead_client.post(_register_url(project, "item-delete", "owners", dana))
    changed = {e.target_kind: e for e in _new(project, before) if e.action == "changed"}
    assert _diff(changed["data-elements"]) == {"steward": ("Dana Steward", "—")}
    assert _diff(changed["handoffs"]) == {"receiving_owner": ("Dana Steward", "—")}

    before = _seq(project)
    lead_client.post(_register_url(project, "item-delete", "data-elements", customer))
    [deleted, unlinked] = _new(project, before)
    assert (deleted.action, deleted.target_name) == ("deleted", "Customer")
    assert (unlinked.action, unlinked.target_id) == ("changed", handoff.pk)
    assert _diff(unlinked) == {"data_elements": ("Customer, Order", "Order")}


# --- The review ---------------------------------------------------------------------------


def test_it_records_answers_from_old_to_new(contributor_client, contributor, project):
    url = answer_url(project, "data", "records_listed")
    contributor_client.post(url, {"records_listed-answer": "yes"}, headers=HTMX)
    first = _last(project)
    assert (first.actor, first.action, first.target_kind, first.check_key) == (
        contributor,
        "answered",
        "answer",
        "data",
    )
    assert _diff(first) == {"answer": ("—", "Yes")}
    assert "in Check 1 · Data that must move: Yes" in first.summary

    contributor_client.post(
        url, {"records_listed-answer": "no", "records_listed-note": "Two missing."}, headers=HTMX
    )
    assert _diff(_last(project)) == {"answer": ("Yes", "No"), "note": ("—", "Two missing.")}

    before = _seq(project)
    contributor_client.post(
        url, {"records_listed-answer": "no", "records_listed-note": "Two missing."}, headers=HTMX
    )
    assert _seq(project) == before  # the same answer again is no change


def test_it_records_risks_added_and_removed(contributor_client, contributor, project):
    contributor_client.post(
        action_url(project, "risk-add", "data"),
        {
            "risk-title": "Two customer ids",
            "risk-severity": "high",
            "risk-detail": "Merge pending.",
        },
    )
    added = _last(project)
    risk = Risk.objects.get()
    assert (added.actor, added.action, added.target_kind, added.target_id) == (
        contributor,
        "created",
        "risk",
        risk.pk,
    )
    assert _diff(added) == {
        "title": ("—", "Two customer ids"),
        "severity": ("—", "High"),
        "detail": ("—", "Merge pending."),
    }

    contributor_client.post(action_url(project, "risk-delete", "data", pk=risk.pk))
    removed = _last(project)
    assert (removed.action, removed.summary) == ("deleted", "removed the risk “Two customer ids”")
    assert _diff(removed) == {
        "title": ("Two customer ids", "—"),
        "severity": ("High", "—"),
        "detail": ("Merge pending.", "—"),
    }
    assert not Risk.objects.exists()


@pytest.fixture
def sam(project):
    user, owner = member_owner(project, "sam", name="Sam Signer")
    name_signatory(project, "data", owner)
    return user


def test_it_records_a_finding_proposed_approved_and_withdrawn(client, sam, project):
    client.force_login(sam)
    DataElementFactory(project=project, name="Customer", criticality="critical")
    executive = accountable_executive(project)
    [blocker] = project_review(project).check("data").open_blockers
    rationale = "The customer master is cleaned up by hand until May."
    until = project.go_live_date

    client.post(
        action_url(project, "finding-accept", "data"),
        {"finding_key": blocker.key, "rationale": rationale, "expires_on": until.isoformat()},
    )
    proposed = _last(project)
    acceptance = Acceptance.objects.get()
    assert (proposed.actor, proposed.action, proposed.target_kind) == (sam, "proposed", "finding")
    assert proposed.summary.startswith(
        f"proposed accepting the blocker finding “{blocker.finding.title}”"
    )
    assert _diff(proposed) == {
        "rationale": ("—", rationale),
        "expires_on": ("—", f"{until:%-d %b %Y}"),
        "severity": ("—", "Blocker"),
    }

    client.force_login(executive)
    client.post(action_url(project, "acceptance-approve", "data", pk=acceptance.pk))
    approved = _last(project)
    assert (approved.actor, approved.action) == (executive, "approved")
    assert "as accountable executive" in approved.summary

    client.force_login(sam)
    client.post(
        action_url(project, "acceptance-withdraw", "data", pk=acceptance.pk),
        {"reason": "The master is clean now."},
    )
    withdrawn = _last(project)
    assert (withdrawn.actor, withdrawn.action) == (sam, "withdrawn")
    assert _diff(withdrawn) == {"withdraw_reason": ("—", "The master is clean now.")}


def test_it_records_a_signature_and_its_revocation(client, project):
    user, owner = member_owner(project, "olga", name="Olga Owner")
    handoff = clean_handoff(project, owner, name="Order to warehouse")
    client.force_login(user)
    digest = project_review(project).item_hashes[("handoffs", handoff.pk)]

    client.post(
        item_signoff_url(project, "handoffs", handoff),
        {"statement": "I act on it.", "seen_hash": digest},
    )
    signed = _last(project)
    assert (signed.actor, signed.action, signed.target_kind, signed.target_id) == (
        user,
        "signed",
        "handoffs",
        handoff.pk,
    )
    assert signed.summary == "signed Order to warehouse as Olga Owner"
    assert _diff(signed) == {"statement": ("—", "I act on it."), "content_hash": ("—", digest)}

    signoff = SignOff.objects.get()
    client.post(
        reverse("reviews:signoff-revoke", kwargs={"slug": project.slug, "pk": signoff.pk}),
        {"reason": "Wrong version."},
    )
    revoked = _last(project)
    assert (revoked.actor, revoked.action, revoked.target_id) == (user, "revoked", handoff.pk)
    assert _diff(revoked) == {"revoke_reason": ("—", "Wrong version.")}


def test_it_records_a_check_signature_under_its_check(sam, client, project):
    answer_all(project, "data")
    client.force_login(sam)
    client.post(
        action_url(project, "check-sign", "data"),
        {"statement": "Reviewed.", "seen_hash": project_review(project).check("data").content_hash},
    )
    signed = _last(project)
    assert (signed.action, signed.target_kind, signed.target_id, signed.check_key) == (
        "signed",
        "check",
        1,
        "data",
    )


def test_it_records_the_signatory_named(lead_client, lead, project):
    first = OwnerFactory(project=project, name="Dana Steward", user=UserFactory())
    second = OwnerFactory(project=project, name="Olga Owner", user=UserFactory())
    url = action_url(project, "signatory-set", "data")
    lead_client.post(url, {"owner": first.pk})
    lead_client.post(url, {"owner": second.pk})
    entry = _last(project)
    assert (entry.actor, entry.target_kind, entry.check_key) == (lead, "signatory", "data")
    assert entry.summary == "named Olga Owner as signatory of Check 1 · Data that must move"
    assert _diff(entry) == {"signatory": ("Dana Steward", "Olga Owner")}


# --- Project, members, dossiers -----------------------------------------------------------


def test_it_records_members_added_promoted_and_removed(lead_client, lead, project):
    UserFactory(username="nina", first_name="Nina", last_name="New")
    url = reverse("projects:members", kwargs={"slug": project.slug})
    lead_client.post(url, {"user": "nina", "role": "viewer"})
    added = _last(project)
    assert (added.actor, added.action, added.target_kind) == (lead, "created", "member")
    assert added.summary == "added Nina New as viewer"
    assert _diff(added) == {"role": ("—", "Viewer")}

    membership = Membership.objects.get(user__username="nina")
    kwargs = {"slug": project.slug, "pk": membership.pk}
    lead_client.post(reverse("projects:member-role", kwargs=kwargs), {"role": "contributor"})
    changed = _last(project)
    assert (changed.action, changed.summary) == ("changed", "made Nina New contributor")
    assert _diff(changed) == {"role": ("Viewer", "Contributor")}

    lead_client.post(reverse("projects:member-remove", kwargs=kwargs))
    removed = _last(project)
    assert (removed.action, removed.summary) == ("deleted", "removed Nina New from the project")
    assert _diff(removed) == {"role": ("Contributor", "—")}


def test_it_records_changed_project_settings(lead_client, lead, project):
    data = {
        "name": project.name,
        "summary": project.summary,
        "desired_outcome": project.desired_outcome,
        "plan_lock_date": project.plan_lock_date.isoformat(),
        "go_live_date": project.go_live_date.isoformat(),
        "lifecycle": "in_review",
        "breakage_plan": "Call the ERP desk.",
        "opened_version": project.version,
    }
    revision = _revision(project)
    response = lead_client.post(reverse("projects:edit", kwargs={"slug": project.slug}), data)
    assert response.status_code == 302
    entry = _last(project)
    assert (entry.actor, entry.action, entry.target_kind) == (lead, "changed", "project")
    assert entry.summary == "changed the project settings: Lifecycle, When an integration breaks"
    assert _diff(entry) == {
        "lifecycle": ("Draft", "In review"),
        "breakage_plan": ("—", "Call the ERP desk."),
    }
    assert _revision(project) == revision + 1


def test_it_records_a_new_project_with_its_creator(client):
    creator = UserFactory(username="creator", first_name="Cara", last_name="Creator")
    client.force_login(creator)
    today = datetime.date.today()
    client.post(
        reverse("projects:create"),
        {
            "name": "Harbor CRM",
            "desired_outcome": "Faster quotes.",
            "plan_lock_date": today.isoformat(),
            "go_live_date": (today + datetime.timedelta(days=30)).isoformat(),
            "lifecycle": "draft",
        },
    )
    project = Project.objects.get(name="Harbor CRM")
    [entry] = _entries(project)
    assert (entry.seq, entry.actor_name, entry.action) == (1, "Cara Creator", "created")
    assert _diff(entry)["name"] == ("—", "Harbor CRM")


def test_it_records_a_dossier_request_without_moving_the_revision(viewer_client, viewer, project):
    revision = _revision(project)
    viewer_client.post(reverse("dossiers:request", kwargs={"slug": project.slug}))
    entry = _last(project)
    assert (entry.actor, entry.action, entry.target_kind) == (viewer, "requested", "dossier")
    assert entry.summary.startswith("requested dossier 1 (verdict: ")
    assert _revision(project) == revision  # the review did not change


def test_it_chains_entries_and_bumps_the_revision_once_per_change(contributor_client, project):
    revision = _revision(project)
    for name in ("Customer", "Order", "Invoice"):
        contributor_client.post(
            _register_url(project, "item-create", "data-elements"),
            create_data("data-elements", name=name),
        )
    entries = _entries(project)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert [e.prev_hash for e in entries] == ["", entries[0].hash, entries[1].hash]
    assert len({e.hash for e in entries}) == 3
    assert _revision(project) == revision + 3


# --- The admin ----------------------------------------------------------------------------


@pytest.fixture
def admin(db):
    return UserFactory(
        username="admin", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _post_value(value):
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return getattr(value, "pk", value)


def _admin_form(response, **changes) -> dict:
    """What the admin change page posts back as it is shown, with `changes` applied."""
    assert response.status_code == 200
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        forms += formset.forms
    for form in forms:
        for bound in form:
            value = changes.get(bound.html_name, bound.value())
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else _post_value(value)
    return data


def test_it_records_an_admin_edit_of_a_register_item(admin_client, admin, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse", trigger="Order confirmed")
    url = reverse("admin:registers_handoff_change", args=[handoff.pk])
    data = _admin_form(admin_client.get(url), trigger="Order released")

    assert admin_client.post(url, data).status_code == 302

    entry = _last(project)
    assert (entry.actor, entry.via, entry.action, entry.target_kind, entry.target_id) == (
        admin,
        "admin",
        "changed",
        "handoffs",
        handoff.pk,
    )
    assert entry.summary == "changed handoff “Order to warehouse” in the admin"
    assert _diff(entry) == {"trigger": ("Order confirmed", "Order released")}
    handoff.refresh_from_db()
    assert handoff.version == 2  # a web form opened before reports a conflict


def test_it_records_an_admin_delete_of_a_register_item_and_what_it_took_along(
    admin_client, admin, project
):
    handoff = HandoffFactory(project=project, name="Order to warehouse", trigger="Order confirmed")
    DutyFactory(project=project, kind=DutyKind.REVIEW_FAILURES, handoff=handoff)
    before = _seq(project)
    url = reverse("admin:registers_handoff_delete", args=[handoff.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    entries = {(e.target_kind, e.action): e for e in _new(project, before)}
    deleted = entries[("handoffs", "deleted")]
    assert (deleted.actor, deleted.via) == (admin, "admin")
    assert _diff(deleted)["trigger"] == ("Order confirmed", "—")
    duty = entries[("duties", "deleted")]
    assert (duty.actor, duty.via) == (admin, "admin")
    assert duty.target_name == "Reviews failures — Order to warehouse"


def test_it_records_the_references_an_owner_deleted_in_the_admin_leaves_behind(
    admin_client, admin, project
):
    dana = OwnerFactory(project=project, name="Dana Steward")
    handoff = HandoffFactory(project=project, name="Order to warehouse", receiving_owner=dana)
    before = _seq(project)

    response = admin_client.post(
        reverse("admin:projects_owner_changelist"),
        {"action": "delete_selected", "_selected_action": [dana.pk], "post": "yes"},
    )

    assert response.status_code == 302
    entries = {(e.target_kind, e.action): e for e in _new(project, before)}
    assert set(entries) == {("owners", "deleted"), ("handoffs", "changed")}
    cleared = entries[("handoffs", "changed")]
    assert (cleared.actor, cleared.via, cleared.target_id) == (admin, "admin", handoff.pk)
    assert _diff(cleared) == {"receiving_owner": ("Dana Steward", "—")}


def test_it_records_admin_changes_to_project_settings_and_members(
    admin_client, admin, project, lead, contributor
):
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = admin_client.get(url)
    data = _admin_form(page, breakage_plan="Call the ERP desk.")
    [membership_form] = [
        f
        for f in page.context["inline_admin_formsets"][0].formset.forms
        if f.instance.user_id == contributor.pk
    ]
    data[f"{membership_form.prefix}-role"] = Role.VIEWER
    revision = _revision(project)
    before = _seq(project)

    assert admin_client.post(url, data).status_code == 302

    entries = _new(project, before)
    settings = next(e for e in entries if e.target_kind == "project")
    assert (settings.actor, settings.via, settings.action) == (admin, "admin", "changed")
    assert _diff(settings) == {"breakage_plan": ("—", "Call the ERP desk.")}
    member = next(e for e in entries if e.target_kind == "member")
    assert (member.actor, member.via, member.target_id) == (admin, "admin", contributor.pk)
    assert _diff(member) == {"role": ("Contributor", "Viewer")}
    project.refresh_from_db()
    assert project.breakage_plan == "Call the ERP desk."
    assert project.revision == revision + 2


def test_it_records_a_member_removed_in_the_admin_with_the_role_they_had(
    admin_client, project, lead, contributor
):
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = admin_client.get(url)
    data = _admin_form(page)
    [membership_form] = [
        f
        for f in page.context["inline_admin_formsets"][0].formset.forms
        if f.instance.user_id == contributor.pk
    ]
    data[f"{membership_form.prefix}-DELETE"] = "on"

    assert admin_client.post(url, data).status_code == 302

    removed = _last(project)
    assert (removed.target_kind, removed.action, removed.via) == ("member", "deleted", "admin")
    assert _diff(removed) == {"role": ("Contributor", "—")}


def test_it_keeps_history_read_only_in_the_admin(admin_client, project, lead):
    activity_record(
        project=project,
        actor=lead,
        action=ActivityAction.CHANGED,
        target_kind="systems",
        summary="changed system “ERP”",
    )
    entry = _last(project)
    assert admin_client.get(reverse("admin:projects_activityentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:projects_activityentry_add")).status_code == 403
    page = admin_client.get(reverse("admin:projects_activityentry_change", args=[entry.pk]))
    assert 'name="summary"' not in page.text
    delete = reverse("admin:projects_activityentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ActivityEntry.objects.filter(pk=entry.pk).exists()


# --- The Activity page: access ------------------------------------------------------------


def _activity_url(project, **params) -> str:
    url = reverse("projects:activity", kwargs={"slug": project.slug})
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


@pytest.mark.parametrize("persona", ["lead", "contributor", "viewer"])
def test_it_shows_the_activity_page_to_every_member(request, project, persona):
    client = request.getfixturevalue(f"{persona}_client")
    lead = request.getfixturevalue("lead")
    activity_record(
        project=project,
        actor=lead,
        action=ActivityAction.CHANGED,
        target_kind="systems",
        summary="changed system “ERP”: Vendor",
        changes=[{"field": "vendor", "label": "Vendor", "old": "Acme", "new": "Globex"}],
    )
    response = client.get(_activity_url(project))
    assert response.status_code == 200
    assert "<strong>Lead Example</strong>" in response.text
    assert "changed system “ERP”: Vendor" in response.text
    assert '<span class="old">Acme</span> → <span class="new">Globex</span>' in response.text


def test_it_hides_the_activity_page_from_outsiders(outsider_client, project):
    assert outsider_client.get(_activity_url(project)).status_code == 404


def test_it_sends_anonymous_from_the_activity_page_to_login(anonymous_client, project):
    url = _activity_url(project)
    assert anonymous_client.get(url)["Location"] == f"/accounts/login/?next={url}"


def test_it_links_to_the_activity_page_from_the_project_menu(viewer_client, project):
    assert _activity_url(project) in viewer_client.get(project.get_absolute_url()).text


def test_it_accepts_only_get_on_the_activity_page(lead_client, project):
    assert lead_client.post(_activity_url(project)).status_code == 405


def test_it_links_entries_to_the_item_they_changed(lead_client, lead, project):
    handoff = HandoffFactory(project=project, name="Order to warehouse")
    gone = HandoffFactory(project=project, name="Fax to ERP")
    lead_client.post(
        _register_url(project, "item-edit", "handoffs", handoff),
        edit_data("handoffs", handoff, trigger="Order released"),
    )
    lead_client.post(_register_url(project, "item-delete", "handoffs", gone))
    html = lead_client.get(_activity_url(project)).text
    assert f'<a href="{item_url(project, "handoffs", handoff)}">view Order to warehouse</a>' in html
    assert item_url(project, "handoffs", gone) not in html  # a deleted item has no page


# --- The Activity page: filters and paging ------------------------------------------------


def _at(monkeypatch, when: datetime.datetime):
    monkeypatch.setattr(timezone, "now", lambda: when)


@pytest.fixture
def varied(project, lead, contributor, monkeypatch):
    """Entries by two people, about two registers, on two days."""
    tz = timezone.get_current_timezone()
    with monkeypatch.context() as patch:
        _at(patch, datetime.datetime(2026, 3, 2, 10, 0, tzinfo=tz))
        activity_record(
            project=project,
            actor=lead,
            action=ActivityAction.CHANGED,
            target_kind="handoffs",
            target_id=7,
            target_name="Order to warehouse",
            summary="changed handoff “Order to warehouse”: Trigger",
        )
        activity_record(
            project=project,
            actor=contributor,
            action=ActivityAction.CREATED,
            target_kind="systems",
            target_id=8,
            target_name="ERP",
            summary="created system “ERP”",
        )
        _at(patch, datetime.datetime(2026, 3, 9, 16, 30, tzinfo=tz))
        activity_record(
            project=project,
            actor=contributor,
            action=ActivityAction.CHANGED,
            target_kind="handoffs",
            target_id=9,
            target_name="Invoice to ledger",
            summary="changed handoff “Invoice to ledger”: Mechanism",
        )
    return project


def _summaries(response) -> list[str]:
    return [e.summary for e in response.context["entries"]]


def test_it_filters_the_activity_by_register(viewer_client, varied):
    response = viewer_client.get(_activity_url(varied, register="handoffs"))
    assert _summaries(response) == [
        "changed handoff “Invoice to ledger”: Mechanism",
        "changed handoff “Order to warehouse”: Trigger",
    ]
    assert "2 entries match the filter." in response.text
    assert '<option value="handoffs" selected>' in response.text


def test_it_filters_the_activity_of_one_item(viewer_client, varied):
    response = viewer_client.get(_activity_url(varied, register="handoffs", item=7))
    assert _summaries(response) == ["changed handoff “Order to warehouse”: Trigger"]


def test_it_filters_the_activity_by_person(viewer_client, varied, contributor):
    response = viewer_client.get(_activity_url(varied, person=contributor.pk))
    assert _summaries(response) == [
        "changed handoff “Invoice to ledger”: Mechanism",
        "created system “ERP”",
    ]
    assert f'<option value="{contributor.pk}" selected>Contributor Example</option>' in (
        response.text
    )


def test_it_offers_only_people_who_appear_in_the_history(viewer_client, varied, viewer):
    html = viewer_client.get(_activity_url(varied)).text
    assert "Lead Example</option>" in html
    assert "Contributor Example</option>" in html
    assert "Viewer Example</option>" not in html


def test_it_filters_the_activity_by_date_range(viewer_client, varied):
    first_day = viewer_client.get(_activity_url(varied, to="2026-03-02"))
    assert len(_summaries(first_day)) == 2
    second_day = viewer_client.get(_activity_url(varied, **{"from": "2026-03-09"}))
    assert _summaries(second_day) == ["changed handoff “Invoice to ledger”: Mechanism"]
    both = viewer_client.get(_activity_url(varied, **{"from": "2026-03-02", "to": "2026-03-09"}))
    assert len(_summaries(both)) == 3
    assert 'value="2026-03-02"' in both.text  # the filter stays filled in
    none = viewer_client.get(_activity_url(varied, **{"from": "2026-03-03", "to": "2026-03-08"}))
    assert _summaries(none) == []
    assert "No recorded changes yet." in none.text or "0 entries" in none.text


def test_it_explains_a_bad_date_instead_of_failing(viewer_client, varied):
    response = viewer_client.get(_activity_url(varied, **{"from": "yesterday", "to": "2026-13-01"}))
    assert response.status_code == 200
    assert "From: “yesterday” is not a date (use YYYY-MM-DD)." in response.text
    assert "To: “2026-13-01” is not a date (use YYYY-MM-DD)." in response.text
    assert len(_summaries(response)) == 3  # the bad filter is ignored, not applied


def test_it_ignores_unknown_filter_values(viewer_client, varied):
    response = viewer_client.get(_activity_url(varied, register="nonsense", person="x", item="1e9"))
    assert response.status_code == 200
    assert len(_summaries(response)) == 3


@pytest.fixture
def long_history(project, lead):
    def grow(n: int):
        for i in range(n):
            activity_record(
                project=project,
                actor=lead,
                action=ActivityAction.CHANGED,
                target_kind="data-elements",
                target_id=i + 1,
                target_name=f"Element {i + 1}",
                summary=f"changed data element “Element {i + 1}”: Definition",
                changes=[
                    {"field": "definition", "label": "Definition", "old": "Old", "new": "New"}
                ],
            )

    return grow


def test_it_pages_the_activity_and_shows_the_last_page_for_a_page_too_far(
    viewer_client, project, long_history
):
    long_history(120)
    first = viewer_client.get(_activity_url(project))
    assert len(first.context["entries"]) == 50
    assert first.context["entries"][0].seq == 120
    assert "Page 1 of 3" in first.text

    too_far = viewer_client.get(_activity_url(project, page=99))
    assert too_far.status_code == 200
    assert "Page 3 of 3" in too_far.text
    assert [e.seq for e in too_far.context["entries"]] == list(range(20, 0, -1))

    assert "Page 1 of 3" in viewer_client.get(_activity_url(project, page="abc")).text


def test_it_keeps_the_filters_when_paging(viewer_client, project, long_history):
    long_history(60)
    html = viewer_client.get(_activity_url(project, register="data-elements")).text
    assert 'href="?register=data-elements&amp;page=2"' in html


def test_it_costs_the_same_queries_for_a_short_and_a_long_history(
    viewer_client, project, long_history, pages_rendered_each_time
):
    long_history(5)
    viewer_client.get(_activity_url(project))  # warm the session and the user
    with CaptureQueriesContext(connection) as short:
        assert viewer_client.get(_activity_url(project)).status_code == 200
    long_history(75)
    viewer_client.get(_activity_url(project))  # the navigation count, changed by the writes
    with CaptureQueriesContext(connection) as long:
        assert viewer_client.get(_activity_url(project)).status_code == 200
    assert len(long) == len(short)

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.core.http import htmx_redirect, refused
from readiness.core.pages import kept_page
from readiness.projects.selectors import get_project_for, project_page_state, projects_page_state
from readiness.registers import services as register_services
from readiness.registers.forms import TestRunForm
from readiness.registers.models import TestRun
from readiness.registers.selectors import get_item
from readiness.registers.specs import SPECS
from readiness.reviews import services
from readiness.reviews.assurance import RED_BLOCKS_WITHIN_DAYS
from readiness.reviews.checks import CHECKS, get_check
from readiness.reviews.forms import (
    AcceptForm,
    AnswerForm,
    AssuranceForm,
    RevokeForm,
    RiskForm,
    SignatoryForm,
    SignForm,
    WithdrawForm,
)
from readiness.reviews.history import check_changes, entries_since, last_activity_seq
from readiness.reviews.models import Acceptance, AnswerChoice, AssuranceReview, Risk, SignOff
from readiness.reviews.rules import RULE_DOCS
from readiness.reviews.selectors import (
    FindingView,
    answer_needs_note,
    explain_stale,
    item_page,
    item_signoff_history,
    reviews_of_request,
)
from readiness.reviews.state import project_review_for, signoffs_for
from readiness.reviews.tables import register_table
from readiness.reviews.verdict import CheckStatus

FINDINGS_PAGE_SIZE = 30
MY_SIGNOFFS_PAGE_SIZE = 50

STEPS = [
    ("register", "Register"),
    ("questions", "Questions"),
    ("findings", "Findings"),
    ("signoff", "Sign-off"),
]


def _check_or_404(key: str):
    try:
        return get_check(key)
    except KeyError:
        raise Http404("No such check.") from None


def _check_url(project, key: str, step: str) -> str:
    return reverse("reviews:check", kwargs={"slug": project.slug, "key": key, "step": step})


def _check_context(request, project, definition, step: str, **extra) -> dict:
    review = project_review_for(request, project)
    check = review.check(definition.key)
    context = {
        "project": project,
        "review": review,
        "check": check,
        "definition": definition,
        "step": step,
        "steps": STEPS,
        "can_edit": request.user.has_perm("projects.edit_registers", project),
        "can_manage": request.user.has_perm("projects.manage_project", project),
        "is_signatory": bool(check.signatory and check.signatory.user_id == request.user.pk),
        "stale_here": [s for s in review.stale_items if s[0] == definition.register],
        "next_check": _next_unsigned(review, definition),
        "answer_choices": AnswerChoice.choices,
    }
    if step == "register":
        spec = SPECS[definition.register]
        context["spec"] = spec
        context["table"] = register_table(request, project, spec)
    if step == "questions":
        context["questions"] = [_question_context(q, check, review) for q in definition.questions]
    if step == "findings":
        context["risk_form"] = RiskForm(prefix="risk")
        page = Paginator(check.findings, FINDINGS_PAGE_SIZE).get_page(request.GET.get("page"))
        context["findings_page"] = page
        context["finding_rows"] = [_finding_row(f, review, request.user) for f in page]
        context["latest_expiry"] = services.latest_expiry(project)
    if step == "signoff":
        context["sign_form"] = SignForm(initial={"seen_hash": check.content_hash})
        context["last_seq"] = last_activity_seq(project)
        if check.signoff and check.signoff.stale:
            context["stale_changes"] = check_changes(
                project=project,
                check=definition,
                signoff=check.signoff.signoff,
                current=check.content,
            )
        context["signatory_form"] = SignatoryForm(
            project=project, initial={"owner": check.signatory}
        )
    context.update(extra)
    return context


def _next_unsigned(review, definition):
    """The next check after this one (wrapping round) that is not signed on current content."""
    checks = review.checks
    start = next(i for i, c in enumerate(checks) if c.key == definition.key)
    for offset in range(1, len(checks)):
        candidate = checks[(start + offset) % len(checks)]
        if candidate.status != CheckStatus.SIGNED:
            return candidate
    return None


@dataclass(frozen=True)
class FindingRow:
    """A finding as this user sees it: whether they may approve its waiting proposal."""

    f: FindingView
    can_approve: bool
    approver_wanted: str


def _finding_row(finding: FindingView, review, user) -> FindingRow:
    proposal = finding.proposal
    return FindingRow(
        f=finding,
        can_approve=bool(proposal and review.may_approve(proposal, user.pk)),
        approver_wanted=review.approver_wanted(proposal) if proposal else "",
    )


def _question_context(question, check, review, form=None) -> dict:
    answer = check.answers.get(question.key)
    if form is None:
        initial = {"answer": answer.answer, "note": answer.note} if answer else {}
        form = AnswerForm(initial=initial, prefix=question.key)
    evidence = review.evidence(question.evidence) if question.evidence else None
    return {
        "question": question,
        "answer": answer,
        # What the next save says it was opened at: always the answer as shown now.
        "version": answer.version if answer else 0,
        "form": form,
        "answer_value": form["answer"].value(),
        "needs_note": bool(answer and answer_needs_note(answer.answer, answer.note)),
        "evidence": evidence,
    }


@require_GET
@kept_page(project_page_state)
def check_detail(request: HttpRequest, slug: str, key: str, step: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    definition = _check_or_404(key)
    if step not in dict(STEPS):
        raise Http404("No such step.")
    context = _check_context(request, project, definition, step)
    return render(request, "reviews/check.html", context)


@require_GET
def checks_start(request: HttpRequest, slug: str) -> HttpResponse:
    """“Checks” in the project menu: the first check that is not signed on current content."""
    project = get_project_for(request.user, slug, "view")
    review = project_review_for(request, project)
    check = next((c for c in review.checks if c.status != CheckStatus.SIGNED), review.checks[0])
    return redirect(_check_url(project, check.key, "questions"))


@require_GET
def check_start(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    _check_or_404(key)
    return redirect(_check_url(project, key, "questions"))


@require_POST
def answer_save(request: HttpRequest, slug: str, key: str, question: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "answer_checks")
    definition = _check_or_404(key)
    q = next((q for q in definition.questions if q.key == question), None)
    if q is None:
        raise Http404("No such question.")
    form = AnswerForm(request.POST, prefix=q.key)
    saved, conflict = False, None
    if form.is_valid():
        try:
            services.answer_save(
                project=project,
                check=definition,
                question_key=q.key,
                user=request.user,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
                opened_version=form.cleaned_data["opened_version"],
            )
        except services.AnswerChanged as e:
            conflict = str(e)  # the form keeps what was typed; the page shows theirs
        else:
            saved = True
            form = None
    if not request.htmx:
        if saved:
            messages.success(request, "Answer saved.")
            return redirect(_check_url(project, key, "questions") + f"#q-{q.key}")
        context = _check_context(request, project, definition, "questions")
        for item in context["questions"]:
            if item["question"].key == q.key:
                item.update(_question_context(q, context["check"], context["review"], form))
                item["conflict"] = conflict
        return render(request, "reviews/check.html", context, status=409 if conflict else 200)
    review = project_review_for(request, project)
    check = review.check(key)
    item = _question_context(q, check, review, form)
    item["conflict"] = conflict
    return render(
        request,
        "reviews/check.html#question",
        {
            "project": project,
            "definition": definition,
            "check": check,
            "review": review,
            "can_edit": True,
            "item": item,
            "answer_choices": AnswerChoice.choices,
            "saved": saved,
            # Note saves come as you type; the status line beside the note says so quietly.
            "announce": request.htmx.trigger != f"id_{q.key}-note",
            "oob_stepper": True,
            "step": "questions",
            "steps": STEPS,
        },
    )


@require_POST
def signatory_set(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "manage")
    definition = _check_or_404(key)
    form = SignatoryForm(request.POST, project=project)
    if form.is_valid():
        services.signatory_set(
            project=project, check=definition, owner=form.cleaned_data["owner"], user=request.user
        )
        messages.success(request, "Signatory saved.")
    else:
        messages.error(request, "Choose an owner of this project who has a user account.")
    return htmx_redirect(request, _check_url(project, key, "signoff"))


@require_POST
def risk_add(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "edit_registers")
    definition = _check_or_404(key)
    form = RiskForm(request.POST, prefix="risk")
    if form.is_valid():
        services.risk_add(project=project, check=definition, user=request.user, **form.cleaned_data)
        messages.success(request, "Risk added.")
        return htmx_redirect(request, _check_url(project, key, "findings"))
    context = _check_context(request, project, definition, "findings", risk_form=form)
    return render(request, "reviews/check.html", context)


def _invalid(request, project, key, step, problem: str) -> HttpResponse:
    """A form that came back incomplete: say what is missing on the step it came from."""
    messages.error(request, problem)
    return htmx_redirect(request, _check_url(project, key, step))


def _refused(request, project, key, step, error: Exception) -> HttpResponse:
    """A write the rules refuse (not the signatory, already accepted…): 403 with the reason."""
    return refused(request, str(error), _check_url(project, key, step))


@require_POST
def risk_delete(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "edit_registers")
    _check_or_404(key)
    risk = Risk.objects.filter(project=project, check_key=key, pk=pk).first()
    if risk is None:
        raise Http404("No such risk.")
    try:
        services.risk_delete(risk=risk, user=request.user)
    except services.ReviewRefused as e:
        return _refused(request, project, key, "findings", e)
    messages.success(request, "Risk removed.")
    return htmx_redirect(request, _check_url(project, key, "findings"))


@require_POST
def finding_accept(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The signatory proposes accepting a finding; it counts once someone else approves."""
    project = get_project_for(request.user, slug, "view")
    definition = _check_or_404(key)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        problem = (
            "Choose until when the acceptance holds (a date)."
            if "expires_on" in form.errors
            else "Write a rationale of at least a sentence to accept a risk."
        )
        return _invalid(request, project, key, "findings", problem)
    try:
        services.acceptance_propose(
            project=project, check=definition, user=request.user, **form.cleaned_data
        )
    except services.ReviewRefused as e:
        return _refused(request, project, key, "findings", e)
    messages.success(
        request,
        "Acceptance proposed. It counts once it is approved by someone else; until then the "
        "finding stays open.",
    )
    return htmx_redirect(request, _check_url(project, key, "findings"))


def _acceptance_or_404(project, key: str, pk: int) -> Acceptance:
    acceptance = Acceptance.objects.filter(project=project, check_key=key, pk=pk).first()
    if acceptance is None:
        raise Http404("No such acceptance.")
    return acceptance


@require_POST
def acceptance_approve(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    _check_or_404(key)
    acceptance = _acceptance_or_404(project, key, pk)
    try:
        services.acceptance_approve(project=project, acceptance=acceptance, user=request.user)
    except services.ReviewRefused as e:
        return _refused(request, project, key, "findings", e)
    messages.success(request, "Approved: the finding is accepted as a known risk until it expires.")
    return htmx_redirect(request, _check_url(project, key, "findings"))


@require_POST
def acceptance_withdraw(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    _check_or_404(key)
    acceptance = _acceptance_or_404(project, key, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.acceptance_withdraw(
            project=project, acceptance=acceptance, user=request.user, reason=reason
        )
    except services.ReviewRefused as e:
        return _refused(request, project, key, "findings", e)
    messages.success(request, "Done: the finding is open again.")
    return htmx_redirect(request, _check_url(project, key, "findings"))


@require_POST
def check_sign(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    definition = _check_or_404(key)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _invalid(request, project, key, "signoff", _form_problem(form))
    try:
        services.check_sign(
            project=project,
            check=definition,
            user=request.user,
            statement=form.cleaned_data["statement"],
            seen_hash=form.cleaned_data["seen_hash"],
        )
    except services.ContentChanged as e:
        changed = entries_since(
            project=project, seq=form.cleaned_data["seen_seq"] or 0, check=definition
        )
        context = _check_context(request, project, definition, "signoff", changed_since=changed)
        context["sign_error"] = str(e)
        context["sign_form"] = SignForm(
            initial={
                "statement": form.cleaned_data["statement"],
                "seen_hash": context["check"].content_hash,
            }
        )
        return render(request, "reviews/check.html", context, status=409)
    except services.ReviewRefused as e:
        return _refused(request, project, key, "signoff", e)
    messages.success(request, f"Check {definition.number} signed.")
    return htmx_redirect(request, _check_url(project, key, "signoff"))


def _form_problem(form) -> str:
    if "seen_hash" in form.errors:
        return "Reload the page and sign what it shows."
    return "Write a statement to sign."


def _signable_item(project, kind: str, pk: int):
    if kind not in ("handoffs", "exceptions"):
        raise Http404("Only handoffs and exception decisions are signed one by one.")
    return get_item(spec=SPECS[kind], project=project, pk=pk)


def _item_page_response(request, project, kind, item, form=None, status=200, **extra):
    spec = SPECS[kind]
    page = item_page(review=project_review_for(request, project), kind=kind, item=item)
    owner = services.item_owner(kind, item) if kind in ("handoffs", "exceptions") else None
    if form is None:
        form = SignForm(initial={"seen_hash": page.current_hash, "seen_seq": page.last_seq})
    if kind == "exceptions" and "run_form" not in extra:
        extra["run_form"] = TestRunForm(prefix="run")
    context = {
        "project": project,
        "kind": kind,
        "spec": spec,
        "item": item,
        "page": page,
        "owner": owner,
        "is_owner": bool(owner and owner.user_id == request.user.pk),
        "can_edit": request.user.has_perm(f"projects.{spec.permission}", project),
        "history": item_signoff_history(kind=kind, item=item) if owner is not None else [],
        "signable": kind in ("handoffs", "exceptions"),
        "form": form,
        "runs": item.test_runs.all() if kind == "exceptions" else None,
        **extra,
    }
    return render(request, "reviews/item.html", context, status=status)


@require_GET
@kept_page(project_page_state)
def item_detail(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """The read-only page of any register item: fields, sign-offs, findings, history."""
    project = get_project_for(request.user, slug, "view")
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404("No such register.")
    item = get_item(spec=spec, project=project, pk=pk)
    return _item_page_response(request, project, kind, item)


@require_http_methods(["GET", "POST"])
@kept_page(project_page_state)
def item_signoff(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    item = _signable_item(project, kind, pk)
    if request.method == "GET":
        return _item_page_response(request, project, kind, item)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_problem(form))
        return redirect("reviews:item", slug=slug, kind=kind, pk=pk)
    try:
        services.item_sign(
            project=project,
            kind=kind,
            item=item,
            user=request.user,
            statement=form.cleaned_data["statement"],
            seen_hash=form.cleaned_data["seen_hash"],
        )
    except services.ContentChanged as e:
        item = _signable_item(project, kind, pk)
        changed = entries_since(
            project=project, seq=form.cleaned_data["seen_seq"] or 0, kind=kind, pk=pk
        )
        return _item_page_response(
            request,
            project,
            kind,
            item,
            status=409,
            sign_error=str(e),
            changed_since=changed,
            statement=form.cleaned_data["statement"],
        )
    except services.ReviewRefused as e:
        return refused(request, str(e), reverse("reviews:item", args=[slug, kind, pk]))
    messages.success(request, f"You signed “{item}”.")
    return redirect("reviews:item", slug=slug, kind=kind, pk=pk)


@require_POST
def signoff_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    signoff = SignOff.objects.filter(project=project, pk=pk).first()
    if signoff is None:
        raise Http404("No such sign-off.")
    back = _signoff_url(project, signoff)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for revoking.")
        return redirect(back)
    try:
        services.signoff_revoke(
            signoff=signoff, user=request.user, reason=form.cleaned_data["reason"]
        )
    except services.ReviewRefused as e:
        return refused(request, str(e), back)
    messages.success(request, "Sign-off revoked. It stays in the history.")
    return redirect(back)


def _signoff_url(project, signoff: SignOff) -> str:
    """Where a sign-off is shown: its check's sign-off step, or its item's page."""
    if signoff.subject_kind == "check":
        return _check_url(project, signoff.check_key, "signoff")
    kind, item_pk = (
        ("handoffs", signoff.handoff_id)
        if signoff.subject_kind == "handoff"
        else ("exceptions", signoff.exception_case_id)
    )
    if item_pk is None:
        return project.get_absolute_url()
    return reverse("reviews:item", kwargs={"slug": project.slug, "kind": kind, "pk": item_pk})


@require_GET
@kept_page(projects_page_state)
def my_signoffs(request: HttpRequest) -> HttpResponse:
    reviews = reviews_of_request(request)
    items = signoffs_for(request.user, reviews=reviews)
    stale = Paginator([i for i in items if i.stale], MY_SIGNOFFS_PAGE_SIZE).get_page(
        request.GET.get("stale_page")
    )
    waiting = Paginator([i for i in items if not i.stale], MY_SIGNOFFS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    explain_stale(list(stale), reviews)  # only the stale sign-offs on this page
    return render(request, "reviews/my_signoffs.html", {"waiting": waiting, "stale": stale})


ASSURANCE_PAGE_SIZE = 30


@require_http_methods(["GET", "POST"])
def assurance(request: HttpRequest, slug: str) -> HttpResponse:
    """Independent assurance reviews of the project: newest first; editors record new ones."""
    project = get_project_for(request.user, slug, "view")
    can_edit = request.user.has_perm("projects.edit_registers", project)
    form = AssuranceForm(prefix="assurance")
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only contributors and leads record assurance reviews.")
        form = AssuranceForm(request.POST, prefix="assurance")
        if form.is_valid():
            services.assurance_add(
                project=project, review=form.save(commit=False), user=request.user
            )
            messages.success(request, "Assurance review recorded.")
            return redirect("reviews:assurance", slug=slug)
        status = 400
    reviews = Paginator(
        AssuranceReview.objects.filter(project=project), ASSURANCE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "review": project_review_for(request, project),
        "reviews": reviews,
        "form": form,
        "can_edit": can_edit,
        "red_blocks_within": RED_BLOCKS_WITHIN_DAYS,
    }
    return render(request, "reviews/assurance.html", context, status=status)


@require_POST
def test_run_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record a run of an exception case's test, from the case's page."""
    project = get_project_for(request.user, slug, "edit_registers")
    case = get_item(spec=SPECS["exceptions"], project=project, pk=pk)
    form = TestRunForm(request.POST, request.FILES, prefix="run")
    if form.is_valid():
        try:
            register_services.test_run_add(
                case=case,
                run=form.save(commit=False),
                attachment=form.checked_attachment,
                user=request.user,
            )
        except register_services.TestRunRefused as e:
            form.add_error("run_on", str(e))
        else:
            messages.success(request, "Test run recorded; the case's test status follows it.")
            return redirect("reviews:item", slug=slug, kind="exceptions", pk=pk)
    return _item_page_response(request, project, "exceptions", case, run_form=form, status=400)


@require_GET
@cache_control(private=True, no_store=True)
def test_run_attachment(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A test run's evidence file, for members only, always as a download."""
    project = get_project_for(request.user, slug, "view")
    run = TestRun.objects.filter(project=project, pk=pk).first()
    if run is None or not run.attachment:
        raise Http404("This test run has no file.")
    try:
        handle = run.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=run.attachment_name or "evidence",
        content_type=run.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def rules_page(request: HttpRequest) -> HttpResponse:
    """Every warning-sign rule, by check, generated from the rule definitions themselves."""
    sections = [(c, [RULE_DOCS[k] for k in c.rules]) for c in CHECKS]
    return render(request, "reviews/rules.html", {"sections": sections})

"""Pages that gather several apps: where you land, a project's overview, the portfolio."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from readiness.core.pages import kept_page
from readiness.dossiers.selectors import lands_on_portfolio, portfolio_for, portfolio_state
from readiness.projects.selectors import (
    ITEM_KINDS,
    get_project_for,
    project_page_state,
    recent_activity,
)
from readiness.registers.specs import SPECS
from readiness.reviews.state import project_review_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if lands_on_portfolio(request.user):
        return redirect("dossiers:portfolio")
    return redirect("projects:list")


@require_GET
@kept_page(project_page_state)
def project_overview(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project_for(request.user, slug, "view")
    review = project_review_for(request, project)
    counts = review.register_counts()
    memberships = project.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "projects/overview.html",
        {
            "project": project,
            "registers": [(spec, counts[kind]) for kind, spec in SPECS.items()],
            "memberships": memberships,
            "review": review,
            "recent": recent_activity(project),
            "item_kinds": ITEM_KINDS,
        },
    )


@require_GET
@kept_page(portfolio_state)
def portfolio(request: HttpRequest) -> HttpResponse:
    rows = portfolio_for(request.user)
    return render(request, "dossiers/portfolio.html", {"rows": rows})

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Model, Q
from django.http import Http404, QueryDict

from readiness.projects.models import Owner, Project
from readiness.registers.specs import RegisterSpec

PAGE_SIZE = 25


@dataclass
class ActiveFilter:
    param: str
    label: str
    choices: list[tuple[str, str]]
    value: str


@dataclass
class RegisterListing:
    page: Page
    filters: list[ActiveFilter]
    sort: str
    query: str
    total: int

    @property
    def items(self):
        return self.page.object_list


def register_listing(*, spec: RegisterSpec, project: Project, params: QueryDict) -> RegisterListing:
    """One page of a register, filtered, searched and sorted as the query string asks."""
    qs, filters, sort, query = _filtered(spec, project, params)
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(params.get("page"))
    return RegisterListing(
        page=page, filters=filters, sort=sort, query=query, total=paginator.count
    )


def register_filtered(*, spec: RegisterSpec, project: Project, params: QueryDict):
    """Every item of a register the query string's filters, search and sort select: what an
    export of the list as shown on screen holds."""
    return _filtered(spec, project, params)[0]


def _filtered(spec: RegisterSpec, project: Project, params: QueryDict):
    qs = spec.queryset(project)
    filters = []
    owner_choices = None
    for f in spec.filters:
        if f.choices:
            choices = [(str(k), str(v)) for k, v in f.choices]
        else:
            if owner_choices is None:
                owner_choices = [
                    (str(pk), name)
                    for pk, name in Owner.objects.filter(project=project).values_list("pk", "name")
                ] + [("none", "— nobody —")]
            choices = owner_choices
        value = params.get(f.param, "")
        if value and value not in {c[0] for c in choices}:
            value = ""
        if value == "none":
            qs = qs.filter(**{f"{f.lookup}__isnull": True})
        elif value:
            qs = qs.filter(**{f.lookup: value})
        filters.append(ActiveFilter(f.param, f.label, choices, value))

    # Control characters (NUL among them, which PostgreSQL refuses) are never part of a search.
    query = "".join(ch for ch in params.get("q", "") if ch.isprintable()).strip()[:100]
    if query:
        condition = Q()
        for name in spec.search_fields:
            condition |= Q(**{f"{name}__icontains": query})
        qs = qs.filter(condition)

    sortable = {c.sort for c in spec.columns if c.sort}
    sort = params.get("sort", "")
    if sort in sortable or (sort.startswith("-") and sort[1:] in sortable):
        qs = qs.order_by(sort, "pk")
    else:
        sort = ""
        qs = qs.order_by(*spec.default_order, "pk")
    return qs, filters, sort, query


def get_item(*, spec: RegisterSpec, project: Project, pk: int) -> Model:
    try:
        return spec.queryset(project).get(pk=pk)
    except spec.model.DoesNotExist:
        raise Http404(f"No such {spec.singular}.") from None

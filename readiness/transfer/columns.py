"""The columns of a register in a spreadsheet, derived from its spec's form.

A register's form says which fields people edit; the same fields, with the same labels, are the
columns of its export and of what an import reads. A field added to a form appears in both
without a change here. Relations are written by name, so only relations to items of the same
project (owners, systems, data elements, handoffs) are columns.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.text import capfirst

from readiness.projects.models import Owner, System
from readiness.registers.models import DataElement, Handoff
from readiness.registers.specs import SPECS, RegisterSpec

# Relations written by name: to items every row can name unambiguously within a project.
NAMED_MODELS = (Owner, System, DataElement, Handoff)

# A workbook's sheets, in the order an import writes them: what is referred to comes first.
# Registers not named here follow, in the order of the specs.
WORKBOOK_ORDER = (
    "owners",
    "systems",
    "data-elements",
    "handoffs",
    "exceptions",
    "reports",
    "duties",
)

VERSION_LABEL = "Version"

# Several names in one cell: separated by semicolons (names may contain commas) or new lines.
LIST_SEPARATOR = "; "


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    BOOL = "bool"
    DATE = "date"
    NUMBER = "number"
    REF = "ref"  # a foreign key, by name
    REFS = "refs"  # a many-to-many, names separated by semicolons


@dataclass(frozen=True)
class ColumnDef:
    name: str
    label: str
    kind: Kind
    field: models.Field
    required: bool = False

    @property
    def related(self) -> type[models.Model] | None:
        return self.field.related_model if self.kind in (Kind.REF, Kind.REFS) else None

    @property
    def choices(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.field.flatchoices} if self.field.choices else {}


def _kind(field: models.Field) -> Kind | None:
    if field.many_to_many:
        return Kind.REFS if field.related_model in NAMED_MODELS else None
    if field.is_relation:
        return Kind.REF if field.related_model in NAMED_MODELS else None
    if field.choices:
        return Kind.CHOICE
    if isinstance(field, models.BooleanField):
        return Kind.BOOL
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return Kind.DATE
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return Kind.NUMBER
    if isinstance(field, models.CharField | models.TextField):
        return Kind.TEXT
    return None


def columns_for(spec: RegisterSpec) -> list[ColumnDef]:
    """The register's columns in form order: every form field a spreadsheet can carry."""
    form_fields = spec.form_class.base_fields
    columns = []
    for name in spec.form_class._meta.fields:
        try:
            field = spec.model._meta.get_field(name)
        except Exception:  # a form-only field: nothing stored, nothing to carry
            continue
        kind = _kind(field)
        if kind is None:
            continue
        form_field = form_fields.get(name)
        label = (form_field.label if form_field is not None else None) or field.verbose_name
        required = bool(form_field.required) if form_field is not None else not field.blank
        if kind is Kind.BOOL:
            required = False
        columns.append(ColumnDef(name, capfirst(str(label)), kind, field, required))
    return columns


def key_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields that name a row within its project: its first unconditional unique
    constraint (name for most registers; kind and scope for duties)."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None:
            fields = tuple(f for f in constraint.fields if f != "project")
            if fields:
                return fields
    return ("name",)


def transferable_specs() -> list[RegisterSpec]:
    """Every register, those others refer to first; a register added later comes last."""
    first = [SPECS[kind] for kind in WORKBOOK_ORDER if kind in SPECS]
    return first + [spec for kind, spec in SPECS.items() if kind not in WORKBOOK_ORDER]


def sheet_title(spec: RegisterSpec) -> str:
    return capfirst(spec.plural)[:31]


def normalize(text: str) -> str:
    """Headers, sheet names and names are matched forgiving case and spacing."""
    return " ".join(str(text).split()).casefold()

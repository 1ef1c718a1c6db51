"""What an import would do, row by row: create, update, leave unchanged, conflict, or fail.

The plan is computed from the uploaded sheets and the project as it is now, with no writes, so
the preview shows it and the commit recomputes it under lock and writes exactly that. Values
are compared in the shape the content hash uses (readiness.core.content), so an edit an import
makes is seen by sign-offs and history like any other edit.
"""

import datetime as dt
import decimal
import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from readiness.core.content import content_diff, field_label
from readiness.projects.models import Owner, Project, System
from readiness.registers.specs import SPECS, RegisterSpec
from readiness.transfer.columns import (
    VERSION_LABEL,
    ColumnDef,
    Kind,
    columns_for,
    key_fields,
    normalize,
    transferable_specs,
)
from readiness.transfer.parsing import Sheet

CREATABLE = (Owner, System)  # missing references the preview offers to create
TRUE_WORDS = {"yes", "y", "true", "1", "x", "ja", "oui", "✓", "wahr"}
FALSE_WORDS = {"no", "n", "false", "0", "", "nein", "non", "falsch", "-", "—"}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%y")
NEUTRALISED = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 500


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    ERROR = "error"


@dataclass
class CellError:
    column: str
    message: str


@dataclass
class RowPlan:
    row: int
    name: str
    action: str = Action.CREATE
    errors: list[CellError] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # field → value in content shape
    pk: int | None = None
    version: int | None = None


@dataclass
class SheetPlan:
    spec: RegisterSpec
    title: str
    columns: list[ColumnDef]
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the sheet, not one row

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


@dataclass
class Missing:
    """A referenced owner or system that does not exist: created on request, else an error."""

    model: type[models.Model]
    name: str
    rows: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    sheets: list[SheetPlan]
    missing: dict[tuple[str, str], Missing] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    create_missing: bool = False
    progress: Callable[[int], None] | None = None
    rows_done: int = 0

    def row_done(self) -> None:
        self.rows_done += 1
        if self.progress is not None and self.rows_done % PROGRESS_EVERY == 0:
            self.progress(self.rows_done)

    @property
    def blocked(self) -> bool:
        return bool(self.errors) or any(
            s.errors or s.count(Action.ERROR) or s.count(Action.CONFLICT) for s in self.sheets
        )

    @property
    def changes(self) -> int:
        creating = len(self.missing) if self.create_missing else 0
        return creating + sum(s.count(Action.CREATE) + s.count(Action.UPDATE) for s in self.sheets)

    def as_json(self, row_limit: int = 2000) -> dict:
        """What the preview page shows; rows beyond the limit per action are counted only."""
        sheets = []
        for s in self.sheets:
            shown: dict[str, int] = {}
            rows = []
            for r in s.rows:
                shown[r.action] = shown.get(r.action, 0) + 1
                if shown[r.action] > row_limit:
                    continue
                rows.append(
                    {
                        "row": r.row,
                        "name": r.name,
                        "action": r.action,
                        "errors": [{"column": e.column, "message": e.message} for e in r.errors],
                        "changes": r.changes[:30],
                    }
                )
            sheets.append(
                {
                    "kind": s.spec.kind,
                    "title": s.title,
                    "register": s.spec.title,
                    "errors": s.errors,
                    "counts": {
                        a: s.count(a)
                        for a in (
                            Action.CREATE,
                            Action.UPDATE,
                            Action.UNCHANGED,
                            Action.CONFLICT,
                            Action.ERROR,
                        )
                    },
                    "rows": rows,
                }
            )
        totals = {
            action: sum(sheet["counts"][action] for sheet in sheets)
            for action in (Action.CREATE, Action.UPDATE, Action.UNCHANGED)
            + (Action.CONFLICT, Action.ERROR)
        }
        return {
            "errors": self.errors,
            "totals": totals,
            "blocked": self.blocked,
            "changes": self.changes,
            "missing": [
                {"kind": str(m.model._meta.verbose_name), "name": m.name, "rows": m.rows[:5]}
                for m in self.missing.values()
            ],
            "create_missing": self.create_missing,
            "sheets": sheets,
        }


def strip_neutraliser(text: str) -> str:
    """An export writes '=1+1' as "'=1+1" so spreadsheets do not run it; read it back."""
    if text.startswith("'") and text[1:2] in NEUTRALISED and text[1:2]:
        return text[1:]
    return text


def parse_bool(text: str) -> bool:
    word = normalize(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"“{text}” is not yes or no")


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    candidate = text.split(" ")[0] if len(text) > 10 else text
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date (write it as 2026-03-31)")


def split_names(text: str) -> list[str]:
    names = []
    for line in text.replace("\r", "\n").split("\n"):
        names.extend(part.strip() for part in line.split(";"))
    return [n for n in names if n]


def suggestion(name: str, known: dict[str, str]) -> str:
    close = difflib.get_close_matches(normalize(name), list(known), n=1, cutoff=0.75)
    return f" — did you mean “{known[close[0]]}”?" if close else ""


class Names:
    """The names of a project's items that rows may refer to, as they will be after the import:
    what exists, what earlier sheets create, and (on request) missing owners and systems."""

    def __init__(self, project: Project):
        self.by_model: dict[type[models.Model], dict[str, str]] = {}
        self.project = project

    def known(self, model: type[models.Model]) -> dict[str, str]:
        if model not in self.by_model:
            names = model.objects.filter(project=self.project).values_list("name", flat=True)
            self.by_model[model] = {normalize(n): n for n in names}
        return self.by_model[model]

    def add(self, model: type[models.Model], name: str) -> None:
        self.known(model).setdefault(normalize(name), name)


def _header_map(sheet: Sheet, columns: list[ColumnDef], plan: SheetPlan) -> dict[str, int]:
    by_name = {c.name: c for c in columns}
    # Also the register list's column titles ("When" for timing) and the bare field names.
    by_label = {
        normalize(listed.label): by_name[listed.sort]
        for listed in plan.spec.columns
        if listed.sort in by_name
    }
    by_label.update({normalize(c.name.replace("_", " ")): c for c in columns})
    by_label.update({normalize(c.label): c for c in columns})
    positions: dict[str, int] = {}
    seen: dict[str, str] = {}
    for index, header in enumerate(sheet.headers):
        key = normalize(header)
        if key in seen:
            plan.errors.append(f"The column “{header}” appears twice.")
            continue
        seen[key] = header
        if key == normalize(VERSION_LABEL):
            positions[VERSION_LABEL] = index
        elif key in by_label:
            positions[by_label[key].name] = index
    unknown = [h for h in sheet.headers if normalize(h) not in by_label and h != VERSION_LABEL]
    unknown = [h for h in unknown if normalize(h) != normalize(VERSION_LABEL)]
    if unknown:
        plan.errors.append(
            "Unknown column"
            + ("s" if len(unknown) > 1 else "")
            + ": "
            + ", ".join(f"“{h}”" for h in unknown)
            + ". Expected: "
            + ", ".join(c.label for c in columns)
            + "."
        )
    keys = key_fields(plan.spec.model)
    missing_keys = [c.label for c in columns if c.name in keys and c.name not in positions]
    if missing_keys:
        plan.errors.append(f"The column “{missing_keys[0]}” is needed to match rows to items.")
    return positions


def _convert(column: ColumnDef, text: str, names: Names, plan: ImportPlan, where: str):
    """A cell's text as content (the shape item_content gives), or ValueError with why not."""
    text = strip_neutraliser(text)
    if column.kind is Kind.TEXT:
        value = _formfield(column.field).clean(text) if text else ""
        return value or ""
    if column.kind is Kind.CHOICE:
        if not text:
            if column.field.blank:  # an empty answer is an answer
                return ""
            if column.field.has_default():  # left out: the model's default, as the form does
                return column.field.get_default()
            if column.required:
                raise ValueError("a value is required")
            return ""
        choices = column.choices
        by_word = {normalize(label): value for value, label in choices.items()}
        by_word.update({normalize(value): value for value in choices})
        if normalize(text) in by_word:
            return by_word[normalize(text)]
        raise ValueError(
            f"“{text}” is not one of: " + ", ".join(f"“{label}”" for label in choices.values())
        )
    if column.kind is Kind.BOOL:
        return parse_bool(text)
    if column.kind is Kind.DATE:
        value = parse_date(text)
        return value.isoformat() if value else None
    if column.kind is Kind.NUMBER:
        value = _formfield(column.field).clean(text) if text else None
        if isinstance(value, decimal.Decimal):
            # As the database keeps it, and as the content hash writes it: "99.20".
            places = column.field.decimal_places
            return str(value.quantize(decimal.Decimal(1).scaleb(-places)))
        return value
    if column.kind is Kind.REF:
        return _reference(column.related, text, names, plan, where) if text else None
    if column.kind is Kind.REFS:
        found = [_reference(column.related, n, names, plan, where) for n in split_names(text)]
        return sorted(set(found))
    raise ValueError("this column cannot be imported")


@functools.cache
def _formfield(model_field: models.Field):
    return model_field.formfield()


def _reference(model, name: str, names: Names, plan: ImportPlan, where: str) -> str:
    known = names.known(model)
    hit = known.get(normalize(name))
    if hit is not None:
        return hit
    label = str(model._meta.verbose_name)
    if model in CREATABLE:
        _formfield(model._meta.get_field("name")).clean(name)  # too long, control characters
        missing = plan.missing.setdefault(
            (model._meta.model_name, normalize(name)), Missing(model, name.strip())
        )
        missing.rows.append(where)
        if plan.create_missing:
            return missing.name
        raise ValueError(
            f"no {label} named “{name}”{suggestion(name, known)} "
            f"(or let the import create the missing {label}s)"
        )
    raise ValueError(f"no {label} named “{name}”{suggestion(name, known)}")


def _form_rules(form, spec: RegisterSpec, values: dict, columns) -> list[CellError]:
    """The register form's own cross-field rules (clean()), run over the row's values.

    One unbound form per sheet: building a form per row would cost more than all the rest."""
    cleaned = {}
    for column in columns:
        value = values.get(column.name)
        if column.kind is Kind.DATE and value:
            value = dt.date.fromisoformat(value)
        cleaned[column.name] = value
    form.cleaned_data = cleaned
    form._errors = {}
    form.instance = spec.model(project=form.project)
    try:
        form.clean()
    except ValidationError as e:
        return [CellError("", m) for m in e.messages]
    except Exception:  # a rule that needs a saved item or real relations: the commit's concern
        return []
    labels = {c.name: c.label for c in columns}
    return [
        CellError(labels.get(name, "") if name != "__all__" else "", str(message))
        for name, messages in form._errors.items()
        for message in messages
    ]


@dataclass(frozen=True)
class Existing:
    pk: int
    version: int


def _existing(spec: RegisterSpec, project: Project, columns, lock: bool = False) -> dict:
    """Existing items by their key: (pk and version, content of the columns).

    Read as plain values, not model instances: for 10,000 rows with their many-to-many
    names this is several times faster. Relations are named the way item_content names
    them (the related item's name), so the content compares equal to what sign-offs hash.
    """
    qs = spec.model.objects.filter(project=project).order_by("pk")
    if lock:
        list(qs.select_for_update(of=("self",)).values_list("pk", flat=True))
    plain = [c for c in columns if c.kind not in (Kind.REF, Kind.REFS)]
    refs = [c for c in columns if c.kind is Kind.REF]
    lookups = ["pk", "version"] + [c.name for c in plain] + [f"{c.name}__name" for c in refs]
    contents: dict[int, dict] = {}
    versions: dict[int, int] = {}
    for row in qs.values_list(*lookups):
        pk, version, values = row[0], row[1], row[2:]
        content = {}
        for column, value in zip([*plain, *refs], values, strict=True):
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, decimal.Decimal):
                value = str(value)
            content[column.name] = value
        contents[pk], versions[pk] = content, version
    for column in columns:
        if column.kind is not Kind.REFS:
            continue
        for pk in contents:
            contents[pk][column.name] = []
        field_ = column.field
        through = field_.remote_field.through
        source, target = field_.m2m_field_name(), field_.m2m_reverse_field_name()
        links = through.objects.filter(**{f"{source}__project": project}).values_list(
            f"{source}_id", f"{target}__name"
        )
        for pk, name in links:
            if pk in contents:
                contents[pk][column.name].append(name)
        for pk in contents:
            contents[pk][column.name].sort()
    return {
        _key_of(spec, content): (Existing(pk, versions[pk]), content)
        for pk, content in contents.items()
    }


def _key_of(spec: RegisterSpec, content: dict) -> tuple:
    return tuple(normalize(content.get(k) or "") for k in key_fields(spec.model))


def _row_name(spec: RegisterSpec, content: dict) -> str:
    keys = key_fields(spec.model)
    if keys == ("name",):
        return str(content.get("name") or "")
    parts = []
    for k in keys:
        field_ = spec.model._meta.get_field(k)
        value = content.get(k)
        if field_.choices:
            value = dict(field_.flatchoices).get(value, value)
        parts.append(str(value) if value else "Whole project")
    return " — ".join(parts)


def plan_sheet(
    spec: RegisterSpec,
    sheet: Sheet,
    project: Project,
    names: Names,
    plan: ImportPlan,
    *,
    may_edit: bool = True,
    lock: bool = False,
    form_kwargs: dict | None = None,
) -> SheetPlan:
    columns = columns_for(spec)
    result = SheetPlan(spec, sheet.title, columns)
    positions = _header_map(sheet, columns, result)
    if result.errors:
        return result
    if not sheet.rows:
        return result
    existing = _existing(spec, project, columns, lock=lock)
    used = [c for c in columns if c.name in positions]
    form = spec.form_class(project=project, **(form_kwargs or {}))
    # Fields the form would not let this person change (disabled): the file may not either.
    locked = {c.name: c for c in columns if getattr(form.fields.get(c.name), "disabled", False)}
    first_seen: dict[tuple, int] = {}
    for number, cells in sheet.rows:
        row = RowPlan(number, "")
        where = f"{sheet.title} row {number}"
        for column in used:
            index = positions[column.name]
            text = cells[index] if index < len(cells) else ""
            try:
                row.values[column.name] = _convert(column, text, names, plan, where)
            except (ValueError, ValidationError) as e:
                message = "; ".join(e.messages) if isinstance(e, ValidationError) else str(e)
                row.errors.append(CellError(column.label, message))
        version_text = ""
        if VERSION_LABEL in positions and positions[VERSION_LABEL] < len(cells):
            version_text = cells[positions[VERSION_LABEL]].strip()
        if version_text:
            try:
                row.version = int(float(version_text))
            except ValueError:
                row.errors.append(CellError(VERSION_LABEL, f"“{version_text}” is not a number"))
        key = _key_of(spec, row.values)
        row.name = _row_name(spec, row.values)
        key_labels = {c.name: c.label for c in columns}
        for k in key_fields(spec.model):
            if spec.model._meta.get_field(k).choices or k == "name":
                _require(row, key_labels.get(k, k), row.values.get(k))
        if not row.errors and key in first_seen:
            row.errors.append(
                CellError(
                    key_labels.get(key_fields(spec.model)[0], ""),
                    f"“{row.name}” appears twice in the file (also on row {first_seen[key]})",
                )
            )
        if not row.errors:
            first_seen.setdefault(key, number)
        hit = existing.get(key)
        if hit is None:
            for column in columns:
                if column.required and column.name in positions:
                    _require(row, column.label, row.values.get(column.name))
            full = {c.name: row.values.get(c.name, _default(c)) for c in columns}
            if not row.errors:
                row.errors.extend(_form_rules(form, spec, full, columns))
            row.values = full
            row.changes = content_diff(spec.model, None, _visible(full))
            row.action = Action.CREATE
        else:
            item, content = hit
            row.pk = item.pk
            merged = {c.name: row.values.get(c.name, content.get(c.name)) for c in columns}
            for k in key_fields(spec.model):  # matched forgiving case: not a rename
                merged[k] = content.get(k)
            before = {c.name: content.get(c.name) for c in columns}
            row.changes = content_diff(spec.model, before, merged)
            if not row.errors and row.changes:
                row.errors.extend(_form_rules(form, spec, merged, columns))
            row.values = merged
            if not row.changes:
                row.action = Action.UNCHANGED
            elif row.version is not None and row.version != item.version:
                row.action = Action.CONFLICT
                row.errors.append(
                    CellError(
                        VERSION_LABEL,
                        f"changed in the app since this file was exported (version "
                        f"{row.version} in the file, {item.version} now). Export again and "
                        "re-apply your edits, so nobody's change is overwritten.",
                    )
                )
            else:
                row.action = Action.UPDATE
                row.version = item.version
        for name, column in locked.items():
            touched = (
                any(c["field"] == name for c in row.changes)
                if row.pk
                else (row.values.get(name) not in (None, "", []))
            )
            if touched and row.action != Action.UNCHANGED:
                message = str(form.fields[name].help_text or "you may not change this field")
                row.errors.append(CellError(column.label, message[:1].lower() + message[1:]))
        if row.errors and row.action != Action.CONFLICT:
            row.action = Action.ERROR
        if not may_edit and row.action in (Action.CREATE, Action.UPDATE):
            row.action = Action.ERROR
            row.errors.append(CellError("", f"you may not change {spec.plural} in this project"))
        # Named even with errors: the error is reported here, not again where others refer to it.
        if row.values.get("name"):
            names.add(spec.model, str(row.values["name"]))
        result.rows.append(row)
        plan.row_done()
    return result


def _require(row: RowPlan, label: str, value) -> None:
    if value in (None, "", []) and not any(e.column == label for e in row.errors):
        row.errors.append(CellError(label, "a value is required"))


def _default(column: ColumnDef):
    if column.kind is Kind.REFS:
        return []
    if column.kind is Kind.BOOL:
        return bool(column.field.get_default())
    if column.kind in (Kind.REF, Kind.DATE, Kind.NUMBER):
        return column.field.get_default() if column.field.has_default() else None
    default = column.field.get_default()
    return "" if default is None else default


def _visible(content: dict) -> dict:
    return {k: v for k, v in content.items() if v not in (None, "", [], False)}


def sheet_spec(title: str) -> RegisterSpec | None:
    """The register a workbook sheet holds, by its title (as exported, or the register's name)."""
    wanted = normalize(title)
    for spec in transferable_specs():
        if wanted in {normalize(spec.plural), normalize(spec.title), normalize(spec.kind)}:
            return spec
        if wanted in {normalize(spec.kind.replace("-", " ")), normalize(spec.singular)}:
            return spec
    return None


def plan_import(
    *,
    project: Project,
    sheets: list[Sheet],
    scope: str,
    create_missing: bool = False,
    may: dict[str, bool] | None = None,
    lock: bool = False,
    progress: Callable[[int], None] | None = None,
    form_kwargs: dict | None = None,
) -> ImportPlan:
    """The plan for importing `sheets` into one register (`scope` its kind) or, for a
    workbook (`scope` "project"), into every register its sheets name."""
    plan = ImportPlan([], create_missing=create_missing, progress=progress)
    names = Names(project)
    may = may or {}
    if scope != "project":
        if len(sheets) > 1:
            titled = [s for s in sheets if sheet_spec(s.title) is SPECS[scope]]
            sheets = titled or sheets[:1]
        assignments = [(SPECS[scope], sheets[0])]
    else:
        assignments = []
        seen = {}
        for sheet in sheets:
            spec = sheet_spec(sheet.title)
            if spec is None:
                plan.errors.append(
                    f"The sheet “{sheet.title}” is not a register. Name sheets as exported: "
                    + ", ".join(f"“{s.plural.capitalize()}”" for s in transferable_specs())
                    + "."
                )
                continue
            if spec.kind in seen:
                plan.errors.append(
                    f"The sheets “{seen[spec.kind]}” and “{sheet.title}” both hold "
                    f"{spec.plural}; keep one."
                )
                continue
            seen[spec.kind] = sheet.title
            assignments.append((spec, sheet))
        order = [s.kind for s in transferable_specs()]
        assignments.sort(key=lambda a: order.index(a[0].kind))
    for spec, sheet in assignments:
        plan.sheets.append(
            plan_sheet(
                spec,
                sheet,
                project,
                names,
                plan,
                may_edit=may.get(spec.kind, True),
                lock=lock,
                form_kwargs=form_kwargs,
            )
        )
    if create_missing:
        for (model_name, _), missing in plan.missing.items():
            spec = next(s for s in SPECS.values() if s.model._meta.model_name == model_name)
            if not may.get(spec.kind, True):
                plan.errors.append(
                    f"“{missing.name}” would be a new {spec.singular}, but you may not add "
                    f"{spec.plural}; ask a project lead."
                )
    return plan


def label_of(model, name: str) -> str:
    return field_label(model, name)

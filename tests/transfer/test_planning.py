"""What an import would do, row by row, before anything is written."""

from dataclasses import replace

import pytest

from readiness.registers.forms import DataElementForm
from readiness.registers.models import DataElement, Handoff
from readiness.registers.specs import SPECS
from readiness.transfer.exporting import export_csv
from readiness.transfer.parsing import read_upload
from readiness.transfer.planning import Action, plan_import
from tests.factories import DataElementFactory, HandoffFactory, OwnerFactory, SystemFactory

pytestmark = pytest.mark.django_db
LEAD = {"may_name_owners": True}  # as a lead plans it: every field may be named


def plan(project, text: str, scope="handoffs", create_missing=False):
    sheets = read_upload(text.encode(), "file.csv")
    return plan_import(
        project=project,
        sheets=sheets,
        scope=scope,
        create_missing=create_missing,
        form_kwargs=LEAD,
    )


def only_row(result):
    [sheet] = result.sheets
    [row] = sheet.rows
    return row


def test_it_shows_an_unknown_owner_at_its_row_and_column_with_a_suggestion(project):
    OwnerFactory(project=project, name="J. Smith")
    text = "Name,Receiving owner\n" + "".join(f"H{i},J. Smith\n" for i in range(12))
    text += "Late orders,J. Smtih\n"
    result = plan(project, text)
    assert result.blocked
    errors = [(r.row, e.column, e.message) for r in result.sheets[0].rows for e in r.errors]
    assert errors == [
        (
            14,
            "Receiving owner",
            "no owner named “J. Smtih” — did you mean “J. Smith”? "
            "(or let the import create the missing owners)",
        )
    ]
    assert [m.name for m in result.missing.values()] == ["J. Smtih"]


def test_it_offers_to_create_missing_owners_and_systems(project):
    result = plan(
        project,
        "Name,Receiving owner,From system\nLate orders,Nadia Park,Legacy ERP\n",
        create_missing=True,
    )
    assert not result.blocked
    assert sorted(m.name for m in result.missing.values()) == ["Legacy ERP", "Nadia Park"]
    assert result.changes == 3


def test_it_matches_headers_forgiving_case_and_spacing(project):
    row = only_row(plan(project, "  NAME ;receiving   OWNER;mechanism\nX;;manual: E-MAIL\n"))
    assert row.action == Action.CREATE
    assert row.values["mechanism"] == "email"


def test_it_reports_unknown_columns_and_a_missing_name_column(project):
    result = plan(project, "Title,Colour\nX,red\n")
    assert result.blocked
    [sheet] = result.sheets
    assert any("Unknown columns: “Title”, “Colour”" in e for e in sheet.errors)
    assert any("“Name” is needed" in e for e in sheet.errors)


def test_it_refuses_duplicate_names_in_the_file(project):
    result = plan(project, "Name\nLate orders\nlate  ORDERS\n")
    rows = result.sheets[0].rows
    assert rows[0].action == Action.CREATE
    assert rows[1].action == Action.ERROR
    assert "appears twice in the file (also on row 2)" in rows[1].errors[0].message


def test_it_explains_a_bad_choice_and_a_bad_boolean(project):
    row = only_row(plan(project, "Name,Mechanism,Local workaround\nX,By pigeon,perhaps\n"))
    messages = {e.column: e.message for e in row.errors}
    assert messages["Mechanism"].startswith("“By pigeon” is not one of: “Automated”")
    assert messages["Local workaround"] == "“perhaps” is not yes or no"


def test_it_reads_dates_as_people_write_them():
    import datetime as dt

    from readiness.transfer.planning import parse_date

    for text in ("2026-03-31", "31.03.2026", "31/03/2026", "2026-03-31 00:00:00"):
        assert parse_date(text) == dt.date(2026, 3, 31)
    assert parse_date("") is None
    with pytest.raises(ValueError, match="is not a date"):
        parse_date("31/02/2026")


class StrictDataElementForm(DataElementForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("defined_differently") and not cleaned.get("definition"):
            self.add_error("definition", "Say how the teams define it.")
        return cleaned


def test_it_runs_the_register_forms_own_rules(project, monkeypatch):
    spec = replace(SPECS["data-elements"], form_class=StrictDataElementForm)
    monkeypatch.setitem(SPECS, "data-elements", spec)
    text = "Name,Teams define it differently\nX,Yes\n"
    row = only_row(plan(project, text, scope="data-elements"))
    assert [(e.column, e.message) for e in row.errors] == [
        ("Definition", "Say how the teams define it.")
    ]


def test_it_lets_only_those_the_form_lets_name_owners_do_so(project):
    OwnerFactory(project=project, name="J. Smith")
    HandoffFactory(project=project, name="Kept", trigger="Old")
    text = "Name,Receiving owner,Trigger\nNew one,J. Smith,\nKept,,New\n"
    sheets = read_upload(text.encode(), "h.csv")
    refused = plan_import(
        project=project, sheets=sheets, scope="handoffs", form_kwargs={"may_name_owners": False}
    )
    first, second = refused.sheets[0].rows
    assert [(e.column, e.message) for e in first.errors] == [
        ("Receiving owner", "only a project lead names or changes this.")
    ]
    assert second.action == Action.UPDATE
    allowed = plan_import(
        project=project, sheets=sheets, scope="handoffs", form_kwargs={"may_name_owners": True}
    )
    assert not allowed.blocked


def test_it_updates_by_name_and_leaves_the_rest_unchanged(project):
    erp = SystemFactory(project=project, name="ERP")
    DataElementFactory(project=project, name="Customer", definition="Who buys")
    DataElementFactory(project=project, name="Order", definition="What is bought")
    text = "Name,Definition,Consuming systems\ncustomer,Who pays,ERP\nOrder,What is bought,\n"
    result = plan(project, text, scope="data-elements")
    update, unchanged = result.sheets[0].rows
    assert update.action == Action.UPDATE
    assert {c["label"] for c in update.changes} == {"Definition", "Consuming systems"}
    assert unchanged.action == Action.UNCHANGED
    assert result.changes == 1
    assert erp.name == "ERP"


def test_it_resolves_references_to_items_earlier_in_the_file(project):
    sheets = read_upload(b"Name\nCustomer\n", "Data elements.csv") + read_upload(
        b"Name,Data elements\nOrder to cash,Customer; Invoice\n", "Handoffs.csv"
    )
    result = plan_import(project=project, sheets=sheets, scope="project", form_kwargs=LEAD)
    handoff_row = result.sheets[1].rows[0]
    assert [(e.column, e.message) for e in handoff_row.errors] == [
        ("Data elements", "no data element named “Invoice”")
    ]


def test_it_shows_a_row_changed_in_the_app_since_the_export_as_a_conflict(project):
    handoff = HandoffFactory(project=project, name="Order to cash", trigger="Order placed")
    exported = export_csv_text(project)
    Handoff.objects.filter(pk=handoff.pk).update(trigger="Order paid", version=2)
    result = plan(project, exported.replace("Order placed", "Order confirmed"))
    row = only_row(result)
    assert row.action == Action.CONFLICT
    assert "changed in the app since this file was exported" in row.errors[0].message
    assert result.blocked
    # Unchanged rows are no conflict, whatever their version.
    assert only_row(plan(project, export_csv_text(project))).action == Action.UNCHANGED


def test_it_reads_back_cells_neutralised_against_formulas(project):
    DataElementFactory(project=project, name="Margin", definition="=A1*2", decision_fields="-5")
    exported = export_csv(
        SPECS["data-elements"], DataElement.objects.filter(project=project)
    ).decode("utf-8-sig")
    assert "'=A1*2" in exported and "'-5" in exported
    row = only_row(plan(project, exported, scope="data-elements"))
    assert row.action == Action.UNCHANGED


def export_csv_text(project) -> str:
    return export_csv(SPECS["handoffs"], Handoff.objects.filter(project=project)).decode(
        "utf-8-sig"
    )


def test_it_refuses_names_it_could_not_create(project):
    long_name = "x" * 121
    row = only_row(plan(project, f"Name,Receiving owner\nA,{long_name}\n", create_missing=True))
    assert row.errors[0].column == "Receiving owner"
    assert "at most 120 characters" in row.errors[0].message

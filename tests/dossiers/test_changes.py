"""diff_snapshots is a pure function over two snapshots: no database needed."""

import copy

from readiness.dossiers.changes import diff_snapshots


def snapshot(number=1, verdict=("not_ready", "Not ready"), **registers):
    """A minimal snapshot: the five checks, with rows for the registers given."""
    checks = []
    for n, (key, register) in enumerate(
        [
            ("data", "data-elements"),
            ("handoffs", "handoffs"),
            ("exceptions", "exceptions"),
            ("reporting", "reports"),
            ("ownership", "duties"),
        ],
        start=1,
    ):
        checks.append(
            {
                "number": n,
                "key": key,
                "title": key.title(),
                "register": register,
                "status": "in_progress",
                "status_label": "In progress",
                "rows": copy.deepcopy(registers.get(register.replace("-", "_"), [])),
            }
        )
    return {
        "dossier": {"number": number},
        "verdict": {"state": verdict[0], "label": verdict[1]},
        "checks": checks,
    }


def register(diff, kind):
    return next(r for r in diff["registers"] if r["kind"] == kind)


CUSTOMER = {"name": "Customer", "criticality": "Cannot be wrong", "steward": "Dana"}
SUPPLIER = {"name": "Supplier", "criticality": "Important", "steward": None}


def test_first_dossier_has_nothing_to_compare():
    diff = diff_snapshots(None, snapshot(data_elements=[CUSTOMER]))
    assert diff["first"] is True
    assert diff["unchanged"] is False
    assert diff["previous_number"] is None
    assert diff["verdict"] == {"before": None, "after": "Not ready", "changed": False}
    assert diff["checks"] == []
    assert all(r["added"] == r["removed"] == r["changed"] == [] for r in diff["registers"])


def test_identical_snapshots_are_unchanged():
    before = snapshot(number=3, data_elements=[CUSTOMER, SUPPLIER])
    after = snapshot(number=4, data_elements=[SUPPLIER, CUSTOMER])
    diff = diff_snapshots(before, after)
    assert diff["first"] is False
    assert diff["unchanged"] is True
    assert diff["previous_number"] == 3
    assert [r["count"] for r in diff["registers"]] == [0, 0, 0, 0, 0]


def test_it_lists_added_removed_and_changed_items_by_name():
    before = snapshot(data_elements=[CUSTOMER, SUPPLIER])
    after = snapshot(
        data_elements=[
            {**CUSTOMER, "criticality": "Important", "steward": "Eve"},
            {"name": "Invoice", "criticality": "Minor", "steward": None},
        ]
    )
    diff = register(diff_snapshots(before, after), "data-elements")
    assert diff["added"] == ["Invoice"]
    assert diff["removed"] == ["Supplier"]
    assert diff["changed"] == [{"name": "Customer", "fields": ["criticality", "steward"]}]
    assert diff["count"] == 3
    assert diff["title"] == "Data elements"


def test_a_renamed_item_is_removed_and_added():
    before = snapshot(handoffs=[{"name": "Order to warehouse", "mechanism": "Automated"}])
    after = snapshot(handoffs=[{"name": "Order to fulfilment", "mechanism": "Automated"}])
    diff = register(diff_snapshots(before, after), "handoffs")
    assert (diff["added"], diff["removed"], diff["changed"]) == (
        ["Order to fulfilment"],
        ["Order to warehouse"],
        [],
    )


def test_fields_present_on_one_side_only_count_as_changed():
    before = snapshot(reports=[{"name": "Daily", "owner": "Dana"}])
    after = snapshot(reports=[{"name": "Daily", "owner": "Dana", "signoff": {"stale": True}}])
    diff = register(diff_snapshots(before, after), "reports")
    assert diff["changed"] == [{"name": "Daily", "fields": ["signoff"]}]


def test_each_register_is_diffed_separately():
    before = snapshot(exceptions=[{"name": "Same name"}], duties=[{"name": "Same name"}])
    after = snapshot(exceptions=[{"name": "Same name"}], duties=[])
    diff = diff_snapshots(before, after)
    assert register(diff, "exceptions")["count"] == 0
    assert register(diff, "duties")["removed"] == ["Same name"]
    assert [r["kind"] for r in diff["registers"]] == [
        "data-elements",
        "handoffs",
        "exceptions",
        "reports",
        "duties",
    ]


def test_verdict_and_check_status_changes():
    before = snapshot(verdict=("not_ready", "Not ready"))
    after = snapshot(verdict=("ready_with_risks", "Ready with accepted risks"))
    after["checks"][3].update(status="signed", status_label="Signed")
    diff = diff_snapshots(before, after)
    assert diff["verdict"] == {
        "before": "Not ready",
        "after": "Ready with accepted risks",
        "changed": True,
    }
    assert diff["checks"] == [
        {
            "key": "reporting",
            "number": 4,
            "title": "Reporting",
            "before": "In progress",
            "after": "Signed",
        }
    ]
    assert diff["unchanged"] is False


def test_it_does_not_modify_its_inputs():
    before = snapshot(data_elements=[CUSTOMER])
    after = snapshot(data_elements=[{**CUSTOMER, "steward": "Eve"}])
    frozen = copy.deepcopy((before, after))
    diff_snapshots(before, after)
    assert (before, after) == frozen


def test_a_previous_snapshot_without_checks_counts_everything_as_added():
    diff = diff_snapshots({"verdict": {}}, snapshot(data_elements=[CUSTOMER]))
    assert register(diff, "data-elements")["added"] == ["Customer"]
    assert [c["key"] for c in diff["checks"]] == [
        "data",
        "handoffs",
        "exceptions",
        "reporting",
        "ownership",
    ]
    assert diff["checks"][0]["before"] is None


def test_duties_match_across_the_whole_project_capitalisation():
    # Snapshots before the dossier said "Whole project" named the duty "… — whole project".
    old = {"kind": "Approves changes", "handoff": None, "owner": "Dana"}
    before = snapshot(duties=[{**old, "name": "Approves changes — whole project"}])
    after = snapshot(duties=[{**old, "name": "Approves changes — Whole project"}])
    diff = diff_snapshots(before, after)
    assert diff["unchanged"] is True

    after = snapshot(duties=[{**old, "name": "Approves changes — Whole project", "owner": "Ed"}])
    duties = register(diff_snapshots(before, after), "duties")
    assert (duties["added"], duties["removed"]) == ([], [])
    assert duties["changed"] == [{"name": "Approves changes — Whole project", "fields": ["owner"]}]

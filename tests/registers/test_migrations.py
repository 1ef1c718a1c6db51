"""The registers migration carries existing rows forward into the explicit choices."""

import importlib

from django.apps import apps

from tests.factories import DataElementFactory, HandoffFactory

migration = importlib.import_module(
    "readiness.registers.migrations.0002_data_quality_interfaces_choices_deputy"
)


def _fresh(item):
    return type(item).objects.get(pk=item.pk)


def test_it_turns_written_text_into_explicit_choices(project):
    written = HandoffFactory(project=project, automation_rules="Stops above 10k", rules_state="")
    blank = HandoffFactory(project=project, automation_rules="  ", rules_state="")
    context = DataElementFactory(project=project, travelling_context="Origin, approval")
    no_context = DataElementFactory(project=project, travelling_context="")

    migration.carry_forward(apps, None)

    assert (_fresh(written).rules_state, _fresh(written).human_checkpoint) == ("written", "yes")
    assert (_fresh(blank).rules_state, _fresh(blank).human_checkpoint) == ("", "")
    assert _fresh(context).context_travels == "travels"
    assert _fresh(no_context).context_travels == ""


def test_it_marks_informal_handoffs_as_having_no_interface(project):
    email = HandoffFactory(project=project, mechanism="email")
    automated = HandoffFactory(project=project, mechanism="automated")

    migration.carry_forward(apps, None)

    assert _fresh(email).interface_status == "none"
    assert _fresh(automated).interface_status == "not_built"

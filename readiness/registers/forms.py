from django import forms
from django.core.exceptions import ValidationError

from readiness.core.locking import VersionedForm
from readiness.projects.models import Owner, Project, System
from readiness.registers.models import DataElement, Duty, ExceptionCase, Handoff, Report

PROJECT_SCOPED = (Owner, System, DataElement, Handoff, ExceptionCase, Report)
NO_CHOICE = "— none —"
QUICK_ADD = {Owner: "owners", System: "systems"}
CHOOSE = "Choose…"


class CheckboxList(forms.CheckboxSelectMultiple):
    """A many-to-many as a list of checkboxes, the checked ones first: what is selected shows
    at a glance, one click selects, and it works without JavaScript."""

    template_name = "forms/checkbox_list.html"

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        return sorted(groups, key=lambda group: not any(o["selected"] for o in group[1]))


class ProjectItemForm(VersionedForm):
    """An item of one project: choices are limited to that project, names unique in it."""

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.instance.project = project
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model in PROJECT_SCOPED:
                field.queryset = queryset.filter(project=project)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model in QUICK_ADD:
                # The page offers to add one from the field, without leaving the form.
                field.quick_add = QUICK_ADD[queryset.model]
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.widget = CheckboxList(choices=field.widget.choices)
            elif isinstance(field, forms.ModelChoiceField):
                field.empty_label = CHOOSE if field.required else NO_CHOICE
            elif isinstance(field, forms.ChoiceField) and field.choices:
                first = list(field.choices)[0]
                if first[0] in ("", None):
                    field.choices = [("", CHOOSE), *list(field.choices)[1:]]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        model = self._meta.model
        clash = model.objects.filter(project=self.project, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                f"There is already a {model._meta.verbose_name} called “{name}” in this project."
            )
        return name

    def validate_unique(self):
        # The project is not a form field, but it is part of every constraint here.
        exclude = self._get_validation_exclusions()
        exclude.discard("project")
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as e:
            self._update_errors(e)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SystemForm(ProjectItemForm):
    class Meta:
        model = System
        fields = ["name", "vendor", "purpose"]


class OwnerForm(ProjectItemForm):
    class Meta:
        model = Owner
        fields = ["name", "email", "team", "kind", "user"]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        # Only members of this project can be linked, so only they can sign.
        self.fields["user"].queryset = project.members.order_by("username")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class DataElementForm(ProjectItemForm):
    class Meta:
        model = DataElement
        fields = [
            "name",
            "criticality",
            "steward",
            "system_of_truth",
            "consuming_systems",
            "definition",
            "decision_fields",
            "travelling_context",
            "defined_differently",
            "truth_disputed",
        ]


class HandoffForm(ProjectItemForm):
    # From and to side by side: system beside system, team beside team.
    field_order = ["name", "mechanism", "receiving_owner", "from_system", "to_system"]
    field_order += ["from_team", "to_team"]

    class Meta:
        model = Handoff
        fields = [
            "name",
            "mechanism",
            "receiving_owner",
            "from_system",
            "from_team",
            "to_system",
            "to_team",
            "trigger",
            "data_elements",
            "receiver_needs",
            "shared_record",
            "wait_rule",
            "rejection_path",
            "fixer",
            "escalation_path",
            "automation_rules",
            "is_workaround",
        ]


class ExceptionCaseForm(ProjectItemForm):
    class Meta:
        model = ExceptionCase
        fields = [
            "name",
            "severity",
            "test_status",
            "tested_on",
            "decision_owner",
            "expected_handling",
            "handoff",
            "data_elements",
            "scenario",
            "evidence",
        ]
        widgets = {"tested_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        status, tested_on = cleaned.get("test_status"), cleaned.get("tested_on")
        if status and status != "untested" and not tested_on:
            self.add_error("tested_on", "Give the date of the test that passed or failed.")
        return cleaned


class ReportForm(ProjectItemForm):
    class Meta:
        model = Report
        fields = [
            "name",
            "timing",
            "owner",
            "business_question",
            "source_elements",
            "source_systems",
            "definition_differences",
            "needs_reconciliation",
            "shows_why",
        ]


class DutyForm(ProjectItemForm):
    class Meta:
        model = Duty
        fields = ["kind", "handoff", "owner", "notes"]
        labels = {"handoff": "Integration (handoff)"}

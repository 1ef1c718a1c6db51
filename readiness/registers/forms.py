from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from readiness.core.locking import VersionedForm
from readiness.projects.models import BlackoutPeriod, Owner, Project, System
from readiness.registers.attachments import AttachmentRefused, check_attachment
from readiness.registers.models import (
    DataElement,
    Duty,
    ExceptionCase,
    Handoff,
    Report,
    TestResult,
    TestRun,
)

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


# Fields that name who is accountable for an item, or link an owner to the account that signs
# as them: only a lead changes them (DESIGN: sign-offs mean something only if the signer was
# chosen by someone accountable). Everyone else sees them, read-only.
OWNER_NAMING_FIELDS = {"receiving_owner", "decision_owner", "steward", "user"}


class ProjectItemForm(VersionedForm):
    """An item of one project: choices are limited to that project, names unique in it.

    `may_name_owners` is False for anyone but a lead: the fields that name an accountable
    owner are then disabled, so a submitted value for them is ignored.
    """

    def __init__(self, *args, project: Project, may_name_owners: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.instance.project = project
        if not may_name_owners:
            for name in OWNER_NAMING_FIELDS & set(self.fields):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Only a project lead names or changes this."
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model in PROJECT_SCOPED:
                field.queryset = queryset.filter(project=project)
        for name in self.defaulted:
            if name in self.fields:
                self.fields[name].required = False
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

    # Choice fields with a sensible default that an older client (an import, a script, a form
    # rendered before the field existed) may leave out: the model's default applies.
    defaulted: tuple[str, ...] = ()

    def _post_clean(self):
        for name in self.defaulted:
            if not self.cleaned_data.get(name):
                self.cleaned_data[name] = self._meta.model._meta.get_field(name).default
        super()._post_clean()

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
    defaulted = ("build",)

    class Meta:
        model = System
        fields = ["name", "vendor", "build", "purpose"]


class BlackoutPeriodForm(ProjectItemForm):
    class Meta:
        model = BlackoutPeriod
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "A blackout period must end on or after its start.")
        return cleaned


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
            "context_travels",
            "travelling_context",
            "defined_differently",
            "truth_disputed",
            "population",
            "entry_validated",
            "accuracy_percent",
            "accuracy_measured_on",
            "period_date",
        ]
        widgets = {"accuracy_measured_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        accuracy, measured_on = cleaned.get("accuracy_percent"), cleaned.get("accuracy_measured_on")
        if accuracy is not None and not measured_on:
            self.add_error("accuracy_measured_on", "Give the date the accuracy was measured.")
        travels = cleaned.get("context_travels") in ("travels", "partly")
        if travels and not (cleaned.get("travelling_context") or "").strip():
            self.add_error("travelling_context", "Say what context travels with the record.")
        return cleaned


class HandoffForm(ProjectItemForm):
    defaulted = ("interface_status",)
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
            "rules_state",
            "human_checkpoint",
            "automation_rules",
            "interface_status",
            "interface_tested_on",
            "is_workaround",
        ]
        widgets = {"interface_tested_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        status, tested_on = cleaned.get("interface_status"), cleaned.get("interface_tested_on")
        if status == "tested" and not tested_on:
            self.add_error("interface_tested_on", "Give the date of the end-to-end test.")
        if (
            cleaned.get("rules_state") == "written"
            and not (cleaned.get("automation_rules") or "").strip()
        ):
            self.add_error("automation_rules", "Write the rules down, or choose another answer.")
        return cleaned


class ExceptionCaseForm(ProjectItemForm):
    class Meta:
        model = ExceptionCase
        fields = [
            "name",
            "severity",
            "decision_owner",
            "expected_handling",
            "handoff",
            "data_elements",
            "scenario",
        ]
        # The test status is the latest test run's result: runs are recorded on the case's
        # page (TestRunForm), never typed here.


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
        fields = ["kind", "handoff", "owner", "deputy", "notes"]
        labels = {"handoff": "Integration (handoff)"}

    def clean(self):
        cleaned = super().clean()
        owner, deputy = cleaned.get("owner"), cleaned.get("deputy")
        if owner and deputy and owner == deputy:
            self.add_error("deputy", "The deputy must be someone other than the owner.")
        return cleaned


class TestRunForm(forms.ModelForm):
    """A new run of an exception case's test. Runs are only added, never edited."""

    attachment = forms.FileField(
        required=False,
        help_text="Optional: a PDF, image, CSV or text file up to 10 MB.",
    )

    class Meta:
        model = TestRun
        fields = ["run_on", "result", "tester", "evidence", "attachment"]
        widgets = {
            "run_on": DateInput,
            "result": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_attachment = None

    def clean_run_on(self):
        # That it is not older than the previous run is checked by the service, under the
        # case's lock (registers.services.test_run_add); its refusal lands on this field.
        day = self.cleaned_data["run_on"]
        if day > timezone.localdate():
            raise ValidationError("A run cannot be dated in the future.")
        return day

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            self.checked_attachment = check_attachment(upload)
        except AttachmentRefused as e:
            raise ValidationError(str(e)) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == TestResult.PASSED and not cleaned.get("evidence", "").strip():
            self.add_error(
                "evidence", "A passed run needs its evidence: what was done and what was seen."
            )
        return cleaned

    def validate_unique(self):
        # The one constraint (a passed run has evidence) is checked in clean(), with a message
        # on the evidence field.
        pass

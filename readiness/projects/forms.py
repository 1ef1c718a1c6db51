from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from readiness.core.locking import VersionedForm
from readiness.projects.models import (
    Membership,
    Owner,
    Project,
    Role,
    default_time_zone,
    time_zone_names,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class ProjectForm(VersionedForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial=default_time_zone,
        required=False,  # left out: the project keeps its zone (a new one gets the site's)
        help_text=Project._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "summary",
            "desired_outcome",
            "plan_lock_date",
            "go_live_date",
            "parallel_run_start",
            "parallel_run_end",
            "lifecycle",
            "time_zone",
            "breakage_plan",
            "accountable_executive",
            "ready_max_open_highs",
            "accuracy_threshold",
        ]
        widgets = {
            "plan_lock_date": DateInput,
            "go_live_date": DateInput,
            "parallel_run_start": DateInput,
            "parallel_run_end": DateInput,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "desired_outcome": forms.Textarea(attrs={"rows": 2}),
            "breakage_plan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional on the form: most projects keep the default.
        self.fields["accuracy_threshold"].required = False
        if not self.instance.pk:  # a new project has no owners to choose from yet
            del self.fields["accountable_executive"]
            return
        executive = self.fields["accountable_executive"]
        # Only an owner of this project who can log in can approve anything.
        executive.queryset = Owner.objects.filter(
            project=self.instance, user__isnull=False
        ).order_by("name")
        executive.empty_label = "— nobody named yet —"

    def clean_time_zone(self):
        return self.cleaned_data.get("time_zone") or self.instance.time_zone or default_time_zone()

    def clean_accuracy_threshold(self):
        value = self.cleaned_data.get("accuracy_threshold")
        if value is None:
            return self.instance.accuracy_threshold or Project.accuracy_threshold.field.default
        return value

    def clean(self):
        cleaned = super().clean()
        lock, live = cleaned.get("plan_lock_date"), cleaned.get("go_live_date")
        start, end = cleaned.get("parallel_run_start"), cleaned.get("parallel_run_end")
        if lock and live and lock > live:
            self.add_error("plan_lock_date", "The plan must lock on or before go-live.")
        if bool(start) != bool(end):
            self.add_error(
                "parallel_run_end" if start else "parallel_run_start",
                "A parallel run needs both a start and an end.",
            )
        elif start and end:
            if start > end:
                self.add_error("parallel_run_end", "The parallel run must end after it starts.")
            elif lock and start < lock:
                self.add_error(
                    "parallel_run_start", "A parallel run cannot start before the plan locks."
                )
            elif live and (end - live).days > 180:
                self.add_error(
                    "parallel_run_end",
                    "A parallel run should end within 180 days after go-live.",
                )
            elif live and end < live:
                self.add_error(
                    "parallel_run_end", "A parallel run should last at least until go-live."
                )
        name = cleaned.get("name")
        if name and not self.instance.pk and not slugify(name):
            self.add_error("name", "Use at least one letter or digit in the name.")
        return cleaned

    def validate_unique(self):
        # Date rules are checked in clean() with friendlier messages, per field.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
        except ValidationError as e:
            self._update_errors(e)


class MemberAddForm(forms.Form):
    user = forms.CharField(label="Username or e-mail", max_length=150)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CONTRIBUTOR)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        User = get_user_model()
        user = (
            User.objects.filter(username__iexact=value).first()
            or User.objects.filter(email__iexact=value).first()
        )
        if user is None or not user.is_active:
            raise ValidationError("No active account has that username or e-mail.")
        if Membership.objects.filter(project=self.project, user=user).exists():
            raise ValidationError(f"{user.username} is already a member.")
        return user


class MemberRoleForm(forms.Form):
    # A plain form: binding a ModelForm would change the membership before the service
    # could check that the project keeps a lead.
    role = forms.ChoiceField(choices=Role.choices)

from django import forms
from django.utils import timezone

from readiness.projects.models import Owner, Project
from readiness.reviews.models import AnswerChoice, AssuranceReview, Risk


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=AnswerChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, partly, no or not applicable to save."},
    )
    note = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The answer's version when the page was opened (0: not answered yet).
    opened_version = forms.IntegerField(
        required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    # A Partly or No without its note is saved all the same (a chosen answer is never
    # dropped); the question is then marked “needs a note” and the check cannot be signed
    # until the note says what is missing.


class SignatoryForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=Owner.objects.none(), required=False, empty_label="— nobody yet —"
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Owner.objects.filter(
            project=project, user__isnull=False
        ).order_by("name")


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["title", "severity", "detail"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 2})}


class AcceptForm(forms.Form):
    """The signatory's proposal to accept a finding: why, and until when."""

    finding_key = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    rationale = forms.CharField(
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the rollout can go ahead with this risk, and what limits it.",
    )
    expires_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The acceptance lapses after this day; at most 90 days after go-live.",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssuranceForm(forms.ModelForm):
    class Meta:
        model = AssuranceReview
        fields = ["reviewed_on", "reviewer", "rating", "summary", "caveats"]
        widgets = {
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rating": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "caveats": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_reviewed_on(self):
        day = self.cleaned_data["reviewed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("A review that has not happened yet cannot be recorded.")
        return day


class SignForm(forms.Form):
    """A signature of exactly the content shown: the page's content hash travels with it."""

    statement = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "In your own words, e.g. “I reviewed the routing, fix rights and "
                "escalation with my team; this is how we will work from go-live.”",
            }
        ),
        help_text="What you confirm, in your own words.",
    )
    seen_hash = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={"required": "Reload the page and sign what it shows."},
    )
    seen_seq = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

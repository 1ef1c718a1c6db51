from django import forms

from readiness.projects.models import Owner, Project
from readiness.reviews.models import AnswerChoice, Risk


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

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("answer") in {AnswerChoice.PARTLY, AnswerChoice.NO}
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", "Say what is missing, so the gap can be closed.")
        return cleaned


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
    finding_key = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    rationale = forms.CharField(
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the rollout can go ahead with this risk, and what limits it.",
    )


class SignForm(forms.Form):
    """A signature of exactly the content shown: the page's content hash travels with it."""

    statement = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="I have reviewed this content and confirm it is accurate and ready for rollout.",
    )
    seen_hash = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={"required": "Reload the page and sign what it shows."},
    )
    seen_seq = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

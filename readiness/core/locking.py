"""Optimistic locking: an edit saves only if nobody saved the row since the form was opened."""

from django import forms
from django.db import models, transaction
from django.db.models import F


class EditConflict(Exception):
    """The row changed since the form was opened."""


CONFLICT_MESSAGE = (
    "This item was changed by someone else since you opened it. Your input is kept below; "
    "reload the page to see their changes, then apply yours again."
)


class VersionedForm(forms.ModelForm):
    """A ModelForm that carries the version it was opened at as a hidden field."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["opened_version"].initial = self.instance.version

    def add_conflict_error(self) -> None:
        self.add_error(None, CONFLICT_MESSAGE)


def _kept_elsewhere(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.editable and not f.primary_key and f.name not in ("updated", "version", "created")
    ]


def save_versioned(form: VersionedForm, *, exclude: list[str] | None = None) -> models.Model:
    """Save a bound, valid form, refusing when the row moved on since it was opened.

    The compare-and-bump is one UPDATE … WHERE version = opened, so two concurrent saves
    cannot both win. `exclude` names fields the save must not write from memory.
    """
    instance = form.instance
    if instance.pk is None:
        with transaction.atomic():
            obj = form.save()
        return obj
    opened = form.cleaned_data.get("opened_version")
    model = type(instance)
    # Fields no form edits (an exception case's latest test result, a project's revision)
    # are kept by their own services: never written back from this form's copy of the row.
    exclude = [*(exclude or []), *_kept_elsewhere(model)]
    with transaction.atomic():
        bumped = model.objects.filter(pk=instance.pk, version=opened).update(
            version=F("version") + 1
        )
        if not bumped:
            raise EditConflict
        instance.version = opened + 1
        if exclude:
            obj = form.save(commit=False)
            names = [
                f.name
                for f in model._meta.concrete_fields
                if not f.primary_key and f.name not in exclude
            ]
            obj.save(update_fields=names)
            form.save_m2m()
        else:
            obj = form.save()
    return obj

"""Acceptance takes two people and expires; sign-offs keep the signing account's name;
independent assurance reviews.

Acceptances recorded before this change were made by one person. They are carried forward as
proposals waiting for approval (expiring 90 days after go-live, the latest date allowed), so
none of them keeps counting without a second person's approval.
"""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _account_name(user) -> str:
    if user is None:
        return ""
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.username


def carry_forward(apps, schema_editor):
    Acceptance = apps.get_model("reviews", "Acceptance")
    SignOff = apps.get_model("reviews", "SignOff")
    for acceptance in Acceptance.objects.select_related("project", "proposed_by"):
        acceptance.expires_on = acceptance.project.go_live_date + dt.timedelta(days=90)
        acceptance.proposed_by_name = _account_name(acceptance.proposed_by)
        acceptance.severity = _severity(acceptance.finding_key)
        acceptance.save(update_fields=["expires_on", "proposed_by_name", "severity"])
    for signoff in SignOff.objects.select_related("signer"):
        signoff.signer_name = _account_name(signoff.signer)
        signoff.save(update_fields=["signer_name"])


def _severity(finding_key: str) -> str:
    # The severity at proposal time was not recorded before; "blocker" is the safe reading:
    # approving it then needs the accountable executive.
    return "blocker"


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_review_summary"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("acceptance", "accepted_by", "proposed_by"),
        migrations.RenameField("acceptance", "accepted_at", "proposed_at"),
        migrations.AlterModelOptions(name="acceptance", options={"ordering": ["proposed_at"]}),
        migrations.AddField(
            model_name="acceptance",
            name="severity",
            field=models.CharField(
                choices=[
                    ("blocker", "Blocker"),
                    ("high", "High"),
                    ("medium", "Medium"),
                    ("low", "Low"),
                ],
                default="blocker",
                help_text="The finding's severity when it was proposed: approval covers up to it.",
                max_length=8,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="acceptance",
            name="expires_on",
            field=models.DateField(
                default=dt.date(2000, 1, 1), help_text="The acceptance lapses after this day."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="acceptance",
            name="proposed_by_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="approver_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="approver_role",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="withdrawn_by_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="withdraw_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddConstraint(
            model_name="acceptance",
            constraint=models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("proposed_by")),
                name="acceptance_approver_not_proposer",
                violation_error_message="Nobody approves their own proposal.",
            ),
        ),
        migrations.AddField(
            model_name="signoff",
            name="signer_name",
            field=models.CharField(
                blank=True, help_text="The signing account's name at the time.", max_length=150
            ),
        ),
        migrations.CreateModel(
            name="AssuranceReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reviewed_on", models.DateField(verbose_name="Date of the review")),
                (
                    "reviewer",
                    models.CharField(max_length=160, verbose_name="Reviewing body or person"),
                ),
                (
                    "rating",
                    models.CharField(
                        choices=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
                        max_length=6,
                    ),
                ),
                ("summary", models.TextField(help_text="Their conclusion, in a few sentences.")),
                (
                    "caveats",
                    models.TextField(
                        blank=True,
                        help_text="Conditions and reservations they attached to the rating.",
                    ),
                ),
                ("recorded_by_name", models.CharField(blank=True, max_length=150)),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assurance_reviews",
                        to="projects.project",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-reviewed_on", "-pk"]},
        ),
        migrations.RunPython(carry_forward, migrations.RunPython.noop),
    ]

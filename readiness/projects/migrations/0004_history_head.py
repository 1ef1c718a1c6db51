from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_activity_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="history_head",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Hash of the newest activity entry: a chain cut short at its end shows.",
                max_length=64,
            ),
        ),
    ]

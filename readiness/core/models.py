from django.db import models


class Stamped(models.Model):
    """Created/updated stamps and an edit version for optimistic locking."""

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

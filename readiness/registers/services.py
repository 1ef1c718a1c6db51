from django.db import transaction
from django.db.models import Model

from readiness.core.locking import VersionedForm, save_versioned


def register_item_save(*, form: VersionedForm) -> Model:
    """Create or update a register item; raises EditConflict on a stale form."""
    return save_versioned(form)


@transaction.atomic
def register_item_delete(*, item: Model) -> None:
    item.delete()

from django.http import Http404

from readiness.projects.models import Project
from readiness.transfer.models import ImportBatch


def get_import_for(*, user, project: Project, pk: int) -> ImportBatch:
    """An upload of this user in this project: nobody else's, and not once expired."""
    batch = (
        ImportBatch.objects.filter(project=project, created_by=user, pk=pk)
        .select_related("project", "created_by")
        .first()
    )
    if batch is None:
        raise Http404("No such import.")
    batch.project = project  # keeps the role the access helper attached
    return batch

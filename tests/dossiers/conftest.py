"""Dossier tests write PDFs: keep them out of var/media."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(project, lead):
    from tests.dossiers.support import fill_project

    return fill_project(project)

"""The portal's URL patterns, one list per namespace they belong to.

config/urls.py joins each list to the patterns of the app whose namespace it shares, so every
page keeps its URL name (`registers:list`, …) while the apps below never import the portal.
"""

from django.urls import path

from readiness.portal import register_views, views

project_patterns = [
    path("<slug:slug>/", views.project_overview, name="overview"),
]

register_patterns = [
    path("<slug:kind>/", register_views.register_list, name="list"),
    path("<slug:kind>/new/", register_views.item_create, name="item-create"),
    path("<slug:kind>/quick-add/", register_views.item_quick_add, name="item-quick-add"),
    path("<slug:kind>/<int:pk>/", register_views.item_row, name="item-row"),
    path("<slug:kind>/<int:pk>/edit/", register_views.item_edit, name="item-edit"),
    path("<slug:kind>/<int:pk>/delete/", register_views.item_delete, name="item-delete"),
    path("<slug:kind>/<int:pk>/undo/", register_views.item_undo_delete, name="item-undo-delete"),
]

dossier_patterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
]

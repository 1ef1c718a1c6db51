from django.urls import path

from readiness.registers import views

app_name = "registers"
urlpatterns = [
    path("<slug:kind>/", views.register_list, name="list"),
    path("<slug:kind>/new/", views.item_create, name="item-create"),
    path("<slug:kind>/<int:pk>/", views.item_row, name="item-row"),
    path("<slug:kind>/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("<slug:kind>/<int:pk>/delete/", views.item_delete, name="item-delete"),
]

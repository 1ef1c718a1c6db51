from django.urls import path

from readiness.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<slug:slug>/settings/", views.project_edit, name="edit"),
    path("<slug:slug>/members/", views.member_list, name="members"),
    path("<slug:slug>/activity/", views.activity_list, name="activity"),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member-role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
]

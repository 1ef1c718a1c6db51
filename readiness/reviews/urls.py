from django.urls import path

from readiness.reviews import views

app_name = "reviews"
urlpatterns = [
    path("signoffs/", views.my_signoffs, name="my-signoffs"),
    path("rules/", views.rules_page, name="rules"),
    path("projects/<slug:slug>/checks/", views.checks_start, name="checks"),
    path("projects/<slug:slug>/checks/<slug:key>/", views.check_start, name="check-start"),
    path(
        "projects/<slug:slug>/checks/<slug:key>/answers/<slug:question>/",
        views.answer_save,
        name="answer-save",
    ),
    path(
        "projects/<slug:slug>/checks/<slug:key>/signatory/",
        views.signatory_set,
        name="signatory-set",
    ),
    path("projects/<slug:slug>/checks/<slug:key>/risks/", views.risk_add, name="risk-add"),
    path(
        "projects/<slug:slug>/checks/<slug:key>/risks/<int:pk>/delete/",
        views.risk_delete,
        name="risk-delete",
    ),
    path(
        "projects/<slug:slug>/checks/<slug:key>/accept/",
        views.finding_accept,
        name="finding-accept",
    ),
    path(
        "projects/<slug:slug>/checks/<slug:key>/acceptances/<int:pk>/approve/",
        views.acceptance_approve,
        name="acceptance-approve",
    ),
    path(
        "projects/<slug:slug>/checks/<slug:key>/acceptances/<int:pk>/withdraw/",
        views.acceptance_withdraw,
        name="acceptance-withdraw",
    ),
    path("projects/<slug:slug>/checks/<slug:key>/sign/", views.check_sign, name="check-sign"),
    path("projects/<slug:slug>/assurance/", views.assurance, name="assurance"),
    # Last: the step segment would swallow the action URLs above.
    path("projects/<slug:slug>/checks/<slug:key>/<slug:step>/", views.check_detail, name="check"),
    path(
        "projects/<slug:slug>/sign/<slug:kind>/<int:pk>/", views.item_signoff, name="item-signoff"
    ),
    path("projects/<slug:slug>/items/<slug:kind>/<int:pk>/", views.item_detail, name="item"),
    path(
        "projects/<slug:slug>/items/exceptions/<int:pk>/runs/",
        views.test_run_add,
        name="test-run-add",
    ),
    path(
        "projects/<slug:slug>/test-runs/<int:pk>/attachment/",
        views.test_run_attachment,
        name="test-run-attachment",
    ),
    path(
        "projects/<slug:slug>/signoffs/<int:pk>/revoke/",
        views.signoff_revoke,
        name="signoff-revoke",
    ),
]

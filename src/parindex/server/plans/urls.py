from django.urls import path

from parindex.server.plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/plan.xlsx", views.plan_download, name="plan-download"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf_download, name="plan-pdf"),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/move/", views.action_move, name="plan-action-move"
    ),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/assign/",
        views.action_assign,
        name="plan-action-assign",
    ),
]

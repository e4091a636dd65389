from django.urls import path

from parindex.server.assessments import views

# A unit's ref may hold a slash (provinces created by the 2025 merger: "province:08/2025"), so
# the unit's pages match it as a path and come after every fixed suffix.
urlpatterns = [
    path("assessments/", views.cycle_list, name="assessment-cycles"),
    path("assessments/new/", views.cycle_new, name="assessment-new"),
    path("assessments/evidence/<int:pk>/", views.evidence_file, name="assessment-evidence"),
    path("assessments/<int:pk>/", views.cycle_detail, name="assessment-cycle"),
    path("assessments/<int:pk>/settings/", views.cycle_settings, name="assessment-settings"),
    path("assessments/<int:pk>/council/", views.council_table, name="assessment-council"),
    path("assessments/<int:pk>/preview/", views.preview, name="assessment-preview"),
    path("assessments/<int:pk>/publish/", views.publish, name="assessment-publish"),
    path("assessments/<int:pk>/published/", views.published, name="assessment-published"),
    path("assessments/<int:pk>/appraisal.xlsx", views.appraisal_table, name="assessment-table"),
    path("assessments/<int:pk>/survey-points/", views.survey_points, name="assessment-survey"),
    path("assessments/<int:pk>/<path:ref>/move/", views.transition, name="assessment-move"),
    path("assessments/<int:pk>/<path:ref>/points/", views.rule_points, name="assessment-points"),
    path("assessments/<int:pk>/<path:ref>/sheet.xlsx", views.unit_sheet, name="assessment-sheet"),
    path(
        "assessments/<int:pk>/<path:ref>/field/<str:field_id>/",
        views.field_page,
        name="assessment-field",
    ),
    path("assessments/<int:pk>/<path:ref>/", views.assessment_detail, name="assessment-detail"),
]

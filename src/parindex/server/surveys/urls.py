from django.urls import path

from parindex.server.surveys import views, webform

urlpatterns = [
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/<slug:slug>/", views.survey_detail, name="survey-detail"),
    path("surveys/<slug:slug>/results/", views.survey_results, name="survey-results"),
    path("surveys/<slug:slug>/results.xlsx", views.results_excel, name="survey-results-excel"),
    path("surveys/<slug:slug>/sample/", views.draw_sample, name="survey-draw"),
    path("surveys/<slug:slug>/import/", views.import_export, name="survey-import"),
    path("surveys/<slug:slug>/jobs/<int:pk>/", views.job_progress, name="survey-job"),
    path("surveys/<slug:slug>/paper/", views.paper_entry, name="survey-paper"),
    path("surveys/<slug:slug>/ballots.pdf", views.ballots_pdf, name="survey-ballots"),
    path("s/<slug:slug>/", webform.start, name="webform-start"),
    path("s/<slug:slug>/questions/", webform.question, name="webform-question"),
    path("s/<slug:slug>/review/", webform.review, name="webform-review"),
    path("s/<slug:slug>/thanks/", webform.done, name="webform-done"),
]

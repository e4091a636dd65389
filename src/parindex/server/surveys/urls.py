from django.urls import path

from parindex.server.surveys import webform
from parindex.server.surveys.views import collection, overview, results

urlpatterns = [
    path("surveys/", overview.survey_list, name="survey-list"),
    path("surveys/<slug:slug>/", overview.survey_detail, name="survey-detail"),
    path("surveys/<slug:slug>/results/", results.survey_results, name="survey-results"),
    path("surveys/<slug:slug>/results.xlsx", results.results_excel, name="survey-results-excel"),
    path("surveys/<slug:slug>/sample/", collection.draw_sample, name="survey-draw"),
    path("surveys/<slug:slug>/import/", collection.import_export, name="survey-import"),
    path("surveys/<slug:slug>/jobs/<int:pk>/", overview.job_progress, name="survey-job"),
    path("surveys/<slug:slug>/paper/", collection.paper_entry, name="survey-paper"),
    path("surveys/<slug:slug>/ballots.pdf", collection.ballots_pdf, name="survey-ballots"),
    path("s/<slug:slug>/", webform.start, name="webform-start"),
    path("s/<slug:slug>/questions/", webform.question, name="webform-question"),
    path("s/<slug:slug>/review/", webform.review, name="webform-review"),
    path("s/<slug:slug>/thanks/", webform.done, name="webform-done"),
]

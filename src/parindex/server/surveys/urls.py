from django.urls import path

from parindex.server.surveys import views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/<slug:slug>/results/", views.survey_results, name="survey-results"),
]

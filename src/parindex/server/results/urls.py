from django.urls import path

from parindex.server.results import views

urlpatterns = [
    path("results/", views.results_home, name="results-home"),
    path(
        "results/boundaries/<int:number>.json",
        views.boundary_file,
        name="results-boundaries",
    ),
    path("results/<str:index>/<int:year>/", views.ranking, name="results-ranking"),
    path(
        "results/<str:index>/<int:year>.csv",
        views.download,
        {"fmt": "csv"},
        name="results-csv",
    ),
    path(
        "results/<str:index>/<int:year>.json",
        views.download,
        {"fmt": "json"},
        name="results-json",
    ),
    path(
        "results/<str:index>/<int:year>/report.<str:fmt>",
        views.national_report,
        name="results-report",
    ),
    # Before the unit's page: a ref may hold a slash, and the report's address ends in its
    # format (so that crawlers and readers see a file, not a page).
    path(
        "results/<str:index>/unit/<path:ref>/report.<str:fmt>",
        views.unit_report,
        name="results-unit-report",
    ),
    # A unit's ref may hold a slash (provinces made by the 2025 merger: "province:08/2025").
    path("results/<str:index>/unit/<path:ref>/", views.unit_page, name="results-unit"),
]

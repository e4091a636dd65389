from django.urls import path

from parindex.server.ratings import index_sheet_views, views

urlpatterns = [
    path("mot-cua/quay/", views.kiosk, name="kiosk"),
    path("mot-cua/quay/sw.js", views.kiosk_worker, name="kiosk-worker"),
    path("mot-cua/danh-gia/<str:token>/", views.online_rating, name="online-rating"),
    path("mot-cua/danh-gia/<str:token>/qr.svg", views.online_rating_qr, name="online-rating-qr"),
    path("mot-cua/don-vi/<str:ref>/", views.leader_dashboard, name="leader-dashboard"),
    path("mot-cua/don-vi/<str:ref>/nhap-ho-so/", views.import_dossiers, name="import-dossiers"),
    path(
        "mot-cua/don-vi/<str:ref>/chi-so-don-vi/",
        index_sheet_views.unit_index_sheet,
        name="unit-index-sheet",
    ),
]

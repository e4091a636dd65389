from django.urls import path

from parindex.server.ratings import views

urlpatterns = [
    path("mot-cua/quay/", views.kiosk, name="kiosk"),
    path("mot-cua/quay/sw.js", views.kiosk_worker, name="kiosk-worker"),
]

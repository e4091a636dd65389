from django.urls import path

from parindex.server.feedback import views

urlpatterns = [
    path("phan-anh-kien-nghi/", views.answers, name="feedback-answers"),
    path("phan-anh-kien-nghi/gui/", views.send, name="feedback-send"),
]

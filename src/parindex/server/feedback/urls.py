from django.urls import path

from parindex.server.feedback import views

urlpatterns = [
    path("phan-anh-kien-nghi/", views.answers, name="feedback-answers"),
    path("phan-anh-kien-nghi/gui/", views.send, name="feedback-send"),
    path("phan-anh-kien-nghi/don-vi/<str:ref>/", views.unit_inbox, name="feedback-inbox"),
    path("phan-anh-kien-nghi/xu-ly/<str:reference>/", views.handle, name="feedback-handle"),
    path("phan-anh-kien-nghi/xin-loi/<str:code>/", views.apology, name="feedback-apology"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from parindex.server.accounts import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("home/<slug:slug>/", views.role_home, name="role-home"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

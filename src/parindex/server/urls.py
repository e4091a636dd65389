from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from parindex.server.ratings.api import api as ingest_api

admin.site.site_header = _("parindex administration")
admin.site.site_title = _("parindex")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/ingest/", ingest_api.urls),
    path("", include("parindex.server.ratings.urls")),
    path("", include("parindex.server.feedback.urls")),
    path("", include("parindex.server.surveys.urls")),
    path("", include("parindex.server.assessments.urls")),
    path("", include("parindex.server.accounts.urls")),
]

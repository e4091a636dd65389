from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from parindex.server.accounts.published import provenance_json
from parindex.server.api.v1 import api
from parindex.server.favicon import favicon

admin.site.site_header = _("parindex administration")
admin.site.site_title = _("parindex")

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("parindex.server.ratings.urls")),
    path("", include("parindex.server.feedback.urls")),
    path("", include("parindex.server.surveys.urls")),
    path("assessments/<int:pk>/provenance.json", provenance_json, name="assessment-provenance"),
    path("", include("parindex.server.assessments.urls")),
    path("", include("parindex.server.plans.urls")),
    path("", include("parindex.server.accounts.urls")),
    path("", include("parindex.server.results.urls")),
    path("", include("parindex.server.jobs.urls")),
    path("api/v1/", api.urls),
]

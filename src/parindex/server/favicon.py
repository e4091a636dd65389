"""``/favicon.ico``: browsers ask for it on every page whatever the page links to."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import cache_control


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    path = finders.find("parindex/favicon.ico")
    if not path:
        raise Http404("favicon")
    return FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")

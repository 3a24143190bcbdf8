from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

# The apps' admin modules (INSTALLED_APPS has the admin without start-up discovery: opsdesk.core.admin_config).
admin.autodiscover()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("opsdesk.web.urls")),
]

handler400 = "opsdesk.web.views.errors.bad_request"
handler403 = "opsdesk.web.views.errors.forbidden"
handler404 = "opsdesk.web.views.errors.not_found"

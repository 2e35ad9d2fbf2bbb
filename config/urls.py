from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    # Public like the large-font switch: the login page offers it too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("branches/", include("branches.urls")),
    path("aid/", include("aid_cases.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("funds/", include("funds.urls")),
    path("reports/", include("reports.urls")),
    path("", include("core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Chinese error pages (templates/403.html, 404.html; core.errors for the ones without a request context).
handler500 = "core.errors.server_error"

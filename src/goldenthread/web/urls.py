from django.contrib import admin
from django.urls import include, path

from goldenthread.accounts.views import admin_sign_in

handler400 = "goldenthread.web.views.bad_request"
handler403 = "goldenthread.web.views.permission_denied"
handler404 = "goldenthread.web.views.page_not_found"
handler500 = "goldenthread.web.views.server_error"

urlpatterns = [
    path("", include("goldenthread.core.urls")),
    path("", include("goldenthread.accounts.urls")),
    path("", include("goldenthread.audit.urls")),
    path("", include("goldenthread.jobs.urls")),
    path("", include("goldenthread.kit.urls")),
    path("", include("goldenthread.structure.urls")),
    path("", include("goldenthread.operating_model.urls")),
    path("", include("goldenthread.performance.urls")),
    path("", include("goldenthread.programme.urls")),
    path("", include("goldenthread.kit.urls_links")),
    path("", include("goldenthread.web.guide.urls")),
    # The admin signs in only through the throttled sign-in page.
    path("admin/login/", admin_sign_in),
    path("admin/", admin.site.urls),
]

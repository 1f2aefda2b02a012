from allauth.socialaccount.providers.openid_connect import views as openid_connect
from django.contrib import admin
from django.urls import include, path

from netlearn.config.api import api

urlpatterns = [
    # First: Django tries the patterns in order, and the apps' pages below all start at the root,
    # so an API request would otherwise be matched against every page's pattern before its own.
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("netlearn.web.urls")),
    path("accounts/", include("netlearn.accounts.urls")),
    # Single sign-on: only the providers' login and callback of allauth (accounts/sso.py), under
    # allauth's names, which its views reverse.
    path(
        "accounts/sso/oidc/<str:provider_id>/login/",
        openid_connect.login,
        name="openid_connect_login",
    ),
    path(
        "accounts/sso/oidc/<str:provider_id>/login/callback/",
        openid_connect.callback,
        name="openid_connect_callback",
    ),
    path("", include("netlearn.networks.urls")),
    path("", include("netlearn.activities.urls")),
    path("", include("netlearn.charter.urls")),
    path("", include("netlearn.golden_thread.urls")),
    path("", include("netlearn.evaluation.urls")),
    path("", include("netlearn.reports.urls")),
    path("", include("netlearn.discussions.urls")),
    path("", include("netlearn.notifications.urls")),
    path("", include("netlearn.rostering.urls")),
    path("", include("netlearn.library.urls")),
    path("", include("netlearn.enquiry.urls")),
    path("", include("netlearn.impact.urls")),
    path("", include("netlearn.decisions.urls")),
    path("", include("netlearn.exchange.urls")),
    path("", include("netlearn.programmes.urls")),
    path("", include("netlearn.health.urls")),
]

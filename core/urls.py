from django.contrib.auth import views as auth_views
from django.urls import path

from core import account_views, audit_views, health, job_views, lookups, undo, views
from core.models import Person
from core.routing import lifecycle_urls

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("health/", health.health, name="health"),
    path("session/keepalive/", account_views.session_keepalive, name="session_keepalive"),
    path("large-font/", views.toggle_large_font, name="toggle_large_font"),
    path("lookup/<slug:kind>/", lookups.lookup, name="lookup"),
    path("undo/<str:token>/", undo.undo, name="undo"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/id-number/", views.person_reveal_id_number, name="person_reveal_id_number"),
    *lifecycle_urls("people/", Person, "person", after_archive="core:person_list"),
    path("audit/", audit_views.AuditEntryListView.as_view(), name="audit_list"),
    *job_views.urlpatterns,
]

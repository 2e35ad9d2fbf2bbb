from django.contrib.auth import views as auth_views
from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("large-font/", views.toggle_large_font, name="toggle_large_font"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path(
        "people/<int:pk>/archive/",
        views.PersonArchiveView.as_view(),
        name="person_archive",
    ),
    path(
        "people/<int:pk>/restore/",
        views.PersonRestoreView.as_view(),
        name="person_restore",
    ),
    path(
        "people/<int:pk>/history/",
        views.PersonHistoryView.as_view(),
        name="person_history",
    ),
]

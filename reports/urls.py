from reports.views import urlpatterns  # noqa: F401 (the app's URLs live with their views)

app_name = "reports"

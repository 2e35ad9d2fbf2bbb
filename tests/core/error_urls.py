"""The site's URLs plus one page that fails, for the 500 page's test."""

from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a page that fails")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]

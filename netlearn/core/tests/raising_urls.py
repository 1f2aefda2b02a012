"""The site's pages plus one that fails, for the logging tests."""

from django.urls import path

from netlearn.config.urls import urlpatterns as site


class Boom(Exception):
    pass


def boom(request):
    raise Boom("the view fell over")


urlpatterns = [path("test-boom/", boom), *site]

"""The product's URLs plus the benchmark's rival: a bare view rendering a tiny template."""

from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import include, path

from netlearn.networks.models import Network


def bare(request):
    """One query, a tiny template, no context processors: what any Django page costs at least."""
    networks = list(Network.objects.only("name", "slug").order_by("pk")[:10])
    return HttpResponse(get_template("bench/bare.html").render({"networks": networks}))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("netlearn.config.urls")),
]

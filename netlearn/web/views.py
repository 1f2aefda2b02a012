from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from . import health as checks


def home(request):
    if request.user.is_authenticated:
        # Pupils have no network pages: their home is their pupil spaces.
        if request.user.is_pupil:
            return redirect("discussions:home")
        return redirect("networks:my_networks")
    return redirect("accounts:login")


@never_cache
def health(request):
    """For load balancers and monitors: 200 when the database, the cache, storage and the task
    worker all answer, 503 naming the one that does not (docs/operations.md#health)."""
    healthy, results = checks.run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503
    )

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


def home(request):
    if request.user.is_authenticated:
        # Pupils have no network pages: their home is their pupil spaces.
        if request.user.is_pupil:
            return redirect("discussions:home")
        return redirect("networks:my_networks")
    return redirect("accounts:login")


@never_cache
def health(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

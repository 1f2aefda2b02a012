"""Error answers a person can read: Django's own 405 is an empty page."""

from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """Gives a page's 405 (a GET sent to a form's action, a POST to a page that only shows) the
    site's frame and a way back. The API's answers stay as the API writes them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith("/api/") or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page

"""A page for "method not allowed": Django's `require_POST` answers 405 with an empty body, which a
browser shows as a blank page. Pages (never the API, whose answers are JSON) get `405.html`, in the
frame with a way back, like the 403, 404 and 500 pages Django renders from the templates."""

from django.template.loader import render_to_string

API_PREFIX = "/api/"


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not request.path.startswith(API_PREFIX)
        ):
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response

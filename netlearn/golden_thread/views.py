"""The golden thread page of a learning focus: parse, call the selector, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def focus_thread(request, network_slug, focus_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    focus = selectors.focus_for(viewer=request.user, network=network, focus_id=focus_id)
    thread = selectors.thread_of(viewer=request.user, focus=focus)
    return render(
        request, "golden_thread/focus_thread.html", {"network": network, "thread": thread}
    )

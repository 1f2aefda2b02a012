"""The notification centre: the list, mark read (one or all), and how often to get email."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import policy, selectors, services
from .errors import NotificationError
from .forms import EmailFrequencyForm, KindChannelsForm


@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.notifications_for(viewer=request.user, unread_only=unread_only)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(viewer=request.user),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request, notification_id):
    notification = selectors.notification_for(viewer=request.user, notification_id=notification_id)
    services.mark_read(notification=notification, by=request.user)
    # "Open" marks it read and follows its link, which is always a path on this site.
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None
    ):
        return redirect(notification.url or "notifications:list")
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(by=request.user)
    messages.success(request, f"{count} marked as read." if count else "Nothing was unread.")
    return redirect("notifications:list")


@login_required
def email_settings(request):
    """How often to get email, and a channel per kind of notification: two forms, one page."""
    can_choose = policy.can_choose_email(request.user)
    current = services.frequency_for(request.user)
    chosen = services.chosen_channels(request.user) if can_choose else {}
    posting_channels = request.method == "POST" and "save_channels" in request.POST
    posting_frequency = request.method == "POST" and not posting_channels
    form = EmailFrequencyForm(
        request.POST if posting_frequency else None, initial={"frequency": current}
    )
    channels_form = KindChannelsForm(request.POST if posting_channels else None, chosen=chosen)
    status = 200
    if request.method == "POST":
        status = 400
        posted = channels_form if posting_channels else form
        if posted.is_valid():
            try:
                if posting_channels:
                    services.set_kind_channels(
                        person=request.user, channels=channels_form.channels()
                    )
                else:
                    services.set_email_frequency(person=request.user, **form.cleaned_data)
            except NotificationError as error:
                posted.add_error(None, str(error))
            else:
                messages.success(request, _("Your email choice is saved."))
                return redirect("notifications:settings")
    context = {
        "form": form,
        "channels_form": channels_form,
        "can_choose": can_choose,
        "current": current,
    }
    return render(request, "notifications/settings.html", context, status=status)

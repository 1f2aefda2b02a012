"""A long thread comes a page at a time, and a post's link (notifications, after a reply) opens
the page that holds it."""

from django.test import Client

from netlearn.discussions import services
from netlearn.discussions.models import Subscription
from netlearn.notifications.models import Notification

from .factories import staff_space


def test_a_long_thread_is_paged_and_a_posts_link_opens_its_page(world, settings):
    settings.PAGE_SIZE = 3
    space = staff_space(world)
    thread = services.start_thread(space=space, by=world.teacher, title="Long", body="Opening")
    posts = [
        services.reply(thread=thread, by=world.co_leader, body=f"Reply number {n}")
        for n in range(7)
    ]
    client = Client()
    client.force_login(world.teacher)
    first = client.get(thread.get_absolute_url())
    assert "Page 1 of 3" in first.content.decode()
    assert "Reply number 5" not in first.content.decode()
    last = posts[-1]
    opened = client.get(last.get_absolute_url())
    assert opened.context["posts"].number == 3
    assert "Reply number 6" in opened.content.decode()
    assert Subscription.objects.filter(person=world.teacher, thread=thread).exists()
    notice = Notification.objects.filter(recipient=world.teacher).latest("pk")
    assert client.get(notice.url).context["posts"].number == 3
    # A post the reader may not see, or of another thread, opens the first page.
    assert client.get(thread.get_absolute_url(), {"post": 999999}).context["posts"].number == 1

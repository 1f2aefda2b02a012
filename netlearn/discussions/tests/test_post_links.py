"""_post.html writes a post's links from one root (views._post_root); they must be the URLs."""

import pytest
from django.urls import reverse

from netlearn.discussions.views import _post_root


@pytest.mark.parametrize(
    "name, suffix",
    [
        ("discussions:report_post", "report"),
        ("discussions:edit_post", "edit"),
        ("discussions:post_history", "history"),
        ("discussions:moderate_post", "moderate"),
    ],
)
@pytest.mark.parametrize("post_id", [1, 7, 1234567])
def test_a_posts_links_are_its_urls(name, suffix, post_id):
    assert f"{_post_root()}{post_id}/{suffix}/" == reverse(name, args=[post_id])

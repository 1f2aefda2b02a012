"""Each person's posts, counted by the one shared limiter (`accounts.rate_limits`): in the
database, or Redis when `CACHE_URL` names it, so the limit holds across web processes.

docs/safety.md#rate-limits: pupil posts are rate-limited; pupils get a lower limit than staff.
"""

from netlearn.accounts.rate_limits import Limit

PUPIL_POSTS = Limit(
    "discussion-posts-pupil", "DISCUSSION_PUPIL_POST_LIMIT", "DISCUSSION_POST_WINDOW"
)
STAFF_POSTS = Limit(
    "discussion-posts-staff", "DISCUSSION_STAFF_POST_LIMIT", "DISCUSSION_POST_WINDOW"
)


def limit_for(person) -> Limit:
    return PUPIL_POSTS if person.kind == "pupil" else STAFF_POSTS


def attempt_post(person) -> bool:
    """Counts one post, or refuses (counting nothing) when the person has reached their limit.

    Counted inside the post's transaction where the counts live in the database: a post that
    fails is not counted."""
    return limit_for(person).attempt(f"person:{person.pk}")

"""Who a school's roster export lists: the export's own id for each person, so that importing it
again changes nothing and the people it no longer lists can be found."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RosterLink(models.Model):
    """A person of the school as its management information system knows them.

    `source_id` is the OneRoster `sourcedId`, stable from one export to the next (OneRoster 1.2,
    section 3.1). `left_at` is set when an import found them gone or marked `tobedeleted`, and
    cleared if a later export lists them again.
    """

    school = models.ForeignKey(
        "networks.School", on_delete=models.CASCADE, related_name="roster_links"
    )
    source_id = models.CharField("OneRoster sourcedId", max_length=255)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_links"
    )
    is_pupil = models.BooleanField()
    linked_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "source_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source_id"], name="roster_link_one_per_source_id"
            ),
            models.UniqueConstraint(fields=["school", "person"], name="roster_link_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} at school {self.school_id}"

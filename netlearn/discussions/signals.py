"""Cleanup only (docs/architecture.md#decisions: signals only clean up): an attachment's file
leaves storage once the row's deletion commits (retention, erasure, a removed space), never
before."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Attachment


@receiver(post_delete, sender=Attachment)
def delete_attachment_file(sender, instance, **kwargs):
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))

"""Read-only views of decisions for site admins: changes go through the pages and services, so
that positions, ballots and outcomes keep their rules."""

from django.contrib import admin

from .models import GroupRule, Proposal, Revision


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ["title", "network", "group", "method", "is_secret", "closes_at", "outcome"]
    list_filter = ["method", "outcome"]
    search_fields = ["title", "network__name"]


@admin.register(Revision)
class RevisionAdmin(ReadOnly):
    list_display = ["proposal", "number", "created_at", "outcome"]


@admin.register(GroupRule)
class GroupRuleAdmin(ReadOnly):
    list_display = ["group", "consent_rule", "quorum_percent"]

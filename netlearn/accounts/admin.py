from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html

from .models import AccessToken, Expertise, Person


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["name"]
    list_display = ["name", "username", "email", "kind", "is_active", "is_superuser", "is_demo"]
    list_filter = ["kind", "is_active", "is_superuser", "is_demo"]
    search_fields = ["name", "username", "email"]
    filter_horizontal = ["expertise", "groups", "user_permissions"]
    autocomplete_fields = ["pupil_school"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "Person",
            {
                "fields": [
                    "name",
                    "email",
                    "kind",
                    "organisation",
                    "organisation_name",
                    "bio",
                    "expertise",
                    "pupil_school",
                    "is_demo",
                ]
            },
        ),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
        ("Personal data", {"fields": ["personal_data", "erased_at"]}),
    ]
    # A site admin is made by a proposal that another site admin approves (Netlearn's "Proposed
    # roles" page), never by one person ticking a box here (docs: threat model, "two people").
    readonly_fields = ["personal_data", "erased_at", "is_staff", "is_superuser"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "name", "email", "kind", "password1", "password2"],
            },
        ),
    ]

    @admin.display(description="Subject access and erasure")
    def personal_data(self, person):
        # Netlearn's own pages: they list what is held, log the export and confirm erasure.
        return format_html(
            '<a href="{}">Export their data</a> · <a href="{}">Erase this person</a>',
            reverse("accounts:person_data", args=[person.pk]),
            reverse("accounts:erase_person", args=[person.pk]),
        )


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "person__name"]

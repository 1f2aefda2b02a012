from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "name", "email", "kind", "password1", "password2"],
            },
        ),
    ]


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "person__name"]

from django.contrib import admin

from .models import Account, Enquiry


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["question", "network", "method", "stage", "group", "last_activity_at"]
    list_filter = ["method", "stage", "network"]
    search_fields = ["question"]
    # Writes go through the services (and their rules); the admin is for looking.
    readonly_fields = [field.name for field in Enquiry._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "audience", "published_at"]
    list_filter = ["status", "audience"]
    search_fields = ["title", "what_we_learned"]
    readonly_fields = [field.name for field in Account._meta.fields]

    def has_add_permission(self, request):
        return False

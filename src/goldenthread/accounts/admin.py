from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LoginAttempt, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind", "ons_code"]
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin[LoginAttempt]):
    list_display = ["username", "ip_address", "attempted_at"]

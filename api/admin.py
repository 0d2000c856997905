"""Tokens in the admin: to see who has which and revoke one; never to make one (its secret would have no one to
be shown to) or to read a secret (there is none stored)."""

from django.contrib import admin

from .models import AccessToken
from .services.tokens import access_token_revoke


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "scope", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "user__email")
    readonly_fields = ("user", "name", "scope", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            access_token_revoke(token=token)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")

"""Admin pages. Writes go through ``actions`` so the admin leaves the same audit trail as
every other way in; the audit log and API tokens are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from ungpkit.apps.accounts import actions
from ungpkit.apps.accounts.models import (
    ApiToken,
    AuditEntry,
    Invitation,
    Membership,
    Organisation,
    User,
)

admin.site.register(User, UserAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records without letting anyone add, change or delete them here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "slug"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    fields = ["name", "kind", "country", "slug"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        created = actions.create_organisation(
            request.user, name=obj.name, kind=obj.kind, country=obj.country, slug=obj.slug
        )
        obj.pk = created.pk
        obj.slug = created.slug


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    fields = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["organisation__name", "user__username"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["user", "organisation"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            saved = actions.change_role(request.user, obj.organisation_id, obj.user_id, obj.role)
        else:
            saved = actions.add_member(request.user, obj.organisation_id, obj.user_id, obj.role)
        obj.pk = saved.pk


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations are sent and revoked through the site and the API (``actions``)."""

    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    exclude = ["token_hash"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "action", "object_type", "object_id", "organisation_id"]
    list_filter = ["action"]
    search_fields = ["action", "object_type", "object_id"]

"""The Django admin for the grievance mechanism: set up mechanisms and members. Cases are
handled on the staff pages (which audit every read of identity), so the admin shows them
read-only and never the encrypted fields."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from ungpkit.apps.accounts import audit
from ungpkit.apps.remedy.models import Grievance, Mechanism, Member, Notification


class MemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Member
    extra = 0


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who runs a mechanism, its members and its retention decide who reads which cases:
    every change made here is in the audit log, and a mechanism is never deleted here (its
    cases would go with it)."""

    list_display = ("name", "slug", "organisation", "retention_days")
    search_fields = ("name", "slug")
    inlines = (MemberInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Mechanism, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                request.user,
                "remedy.mechanism_changed" if change else "remedy.mechanism_created",
                target=obj,
                organisation=obj.organisation,
                details={
                    "fields": sorted(form.changed_data),
                    "organisation": obj.organisation_id,
                    "retention_days": obj.retention_days,
                },
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Django clears the id of what it deletes: note them first.
        removed = sorted(f.instance.pk for f in formset.deleted_forms if f.instance.pk is not None)
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            added = sorted(m.pk for m in formset.new_objects)
            changed = sorted(m.pk for m, _fields in formset.changed_objects)
            if added or removed or changed:
                mechanism = form.instance
                audit.record(
                    request.user,
                    "remedy.members_changed",
                    target=mechanism,
                    organisation=mechanism.organisation,
                    details={"added": added, "removed": removed, "changed": changed},
                )


@admin.register(Grievance)
class GrievanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case_code", "mechanism", "state", "due_at", "created_at")
    list_filter = ("state", "mechanism")
    search_fields = ("case_code",)
    exclude = ("identity_encrypted", "receipt_encrypted", "passphrase_hash")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("recipient", "grievance", "kind", "created_at", "read_at")
    list_filter = ("kind",)

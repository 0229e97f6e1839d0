"""The Django admin for the grievance mechanism: set up mechanisms and members. Cases are
handled on the staff pages (which audit every read of identity), so the admin shows them
read-only and never the encrypted fields."""

from django.contrib import admin

from ungpkit.apps.remedy.models import Grievance, Mechanism, Member, Notification


class MemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Member
    extra = 0


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "organisation", "retention_days")
    search_fields = ("name", "slug")
    inlines = (MemberInline,)


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

from django.contrib import admin

from ungpkit.apps.check.models import Assessment, LawDocument, Review


@admin.register(LawDocument)
class LawDocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "organisation", "format", "language", "size", "created_at")
    list_filter = ("format", "language")
    search_fields = ("title", "filename")
    exclude = ("content", "passages")
    readonly_fields = (
        "organisation",
        "uploaded_by",
        "sha256",
        "size",
        "format",
        "language",
        "pages",
        "warnings",
        "filename",
        "created_at",
    )


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("document", "grid", "state", "progress", "is_public", "created_at")
    list_filter = ("state", "grid", "is_public")
    readonly_fields = (
        "document",
        "organisation",
        "created_by",
        "grid",
        "lang",
        "state",
        "progress",
        "error",
        "attempts",
        "result",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("assessment", "element", "decision", "status", "reviewer", "created_at")
    readonly_fields = (
        "assessment",
        "element",
        "reviewer",
        "decision",
        "status",
        "strength",
        "passage_ids",
        "comment",
        "machine_status",
        "machine_strength",
        "created_at",
    )

"""Pages of the UNGP check (under the language prefix, e.g. /en/check/)."""

app_name = "check"

urlpatterns: list = []  # type: ignore[type-arg]

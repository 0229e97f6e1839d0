"""Values every page template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The ungpkit version, shown in the footer."""
    return {"ungpkit_version": settings.UNGPKIT_VERSION}


class _Menu:
    """Which menu entries lead somewhere for the signed-in person: one query, made only if
    a page shows the menu, and at most once per page."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self._roles: frozenset[str] | None = None

    def _role_set(self) -> frozenset[str]:
        if self._roles is None:
            from ungpkit.apps.accounts.models import Membership

            user = self.request.user
            roles = Membership.objects.filter(user_id=user.pk).values_list("role", flat=True)
            self._roles = frozenset(roles) if user.is_authenticated else frozenset()
        return self._roles

    def _admin(self) -> bool:
        user = self.request.user
        return bool(user.is_authenticated and user.is_active and user.is_superuser)

    @property
    def may_check(self) -> bool:
        """Whether "Check a law" leads to a form this person may send."""
        from ungpkit.apps.check.access import CHECKER_ROLES

        return self._admin() or bool(self._role_set() & CHECKER_ROLES)

    @property
    def handles_cases(self) -> bool:
        """Whether "Grievance cases" leads to cases this person may handle."""
        from ungpkit.apps.remedy.access import MEMBER_ROLES, SECRETARIAT_ROLES

        return self._admin() or bool(self._role_set() & (SECRETARIAT_ROLES | MEMBER_ROLES))


def menu(request: HttpRequest) -> dict[str, _Menu]:
    """``menu.may_check`` and ``menu.handles_cases`` for the main menu."""
    return {"menu": _Menu(request)}

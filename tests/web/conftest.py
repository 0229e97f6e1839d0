"""Fixtures for the web shell and the accounts app.

Reach first for ``organisation``: a company created through the actions, with ``org_admin`` as
its administrator. ``make_user`` makes any other person; ``platform_admin`` is a superuser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ungpkit.apps.accounts import actions
from ungpkit.apps.accounts.models import Organisation, Role


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """Create an active user; pass ``username`` and any other field."""
    model = get_user_model()

    def make(username: str, **fields: Any) -> Any:
        return model.objects.create_user(username=username, password=None, **fields)

    return make


@pytest.fixture
def platform_admin(make_user: Callable[..., Any]) -> Any:
    return make_user("platform-admin", is_superuser=True, is_staff=True)


@pytest.fixture
def org_admin(make_user: Callable[..., Any]) -> Any:
    return make_user("org-admin")


@pytest.fixture
def organisation(platform_admin: Any, org_admin: Any) -> Organisation:
    """A company whose administrator is ``org_admin``."""
    company = actions.create_organisation(
        platform_admin, name="Fictional Tech Ltd", kind="company", country="fr"
    )
    actions.add_member(platform_admin, company.pk, org_admin.pk, Role.ADMINISTRATOR)
    return company

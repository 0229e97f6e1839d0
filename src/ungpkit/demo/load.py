"""Load the demo dataset into the configured database (idempotent: safe to run twice)."""

from __future__ import annotations

from typing import Any

import django
from django.db import transaction

from ungpkit.demo.dataset import DEMO_PASSWORD, ORGANISATIONS, USERS


def load_demo() -> list[tuple[str, str]]:
    """Create the demo organisations and users; return (role, username) for each login."""
    django.setup()
    from django.contrib.auth import get_user_model

    from ungpkit.apps.accounts import actions
    from ungpkit.apps.accounts.models import Membership, Organisation

    user_model: Any = get_user_model()
    with transaction.atomic():
        admin = _user(user_model, USERS[0].username, USERS[0].first_name, superuser=True)
        organisations = {}
        for spec in ORGANISATIONS:
            existing = Organisation.objects.filter(name=spec.name).first()
            organisations[spec.key] = existing or actions.create_organisation(
                admin, name=spec.name, kind=spec.kind, country=spec.country
            )
        for spec in USERS:
            user = _user(user_model, spec.username, spec.first_name, spec.superuser)
            organisation = organisations[spec.organisation]
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                actions.add_member(admin, organisation.pk, user.pk, spec.role)
    return [(spec.role, spec.username) for spec in USERS]


def _user(user_model: Any, username: str, first_name: str, superuser: bool) -> Any:
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(
            username=username,
            first_name=first_name,
            email=f"{username}@demo.invalid",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user

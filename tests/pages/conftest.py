"""Fixtures for the pages of the UNGP check.

Reach first for ``demo``: the demo dataset (users of every role, two checked drafts of
Veridia's act in the ministry's workspace, the second one public), loaded once per module
inside a transaction that is rolled back afterwards. ``signed_in(username)`` gives a test
client signed in as one of the demo logins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Demo:
    """Ids of the demo's records."""

    private_id: int
    """The first draft's assessment: private to the ministry, reviewed."""
    public_id: int
    """The second draft's assessment: public."""
    private_document_id: int
    public_document_id: int


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo dataset, loaded once for the module and rolled back after it."""
    from ungpkit.apps.check.models import Assessment
    from ungpkit.demo.load import load_demo

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        load_demo()
        private = Assessment.objects.get(is_public=False)
        public = Assessment.objects.get(is_public=True)
        yield Demo(private.pk, public.pk, private.document_id, public.document_id)
        transaction.set_rollback(True)


@pytest.fixture
def signed_in(demo: Demo, db: None) -> Callable[[str], Client]:
    """A test client signed in as the demo user ``username`` (or anonymous for "")."""

    def sign_in(username: str) -> Client:
        client = Client()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return sign_in

"""GET /health tells a load balancer whether the site can reach its database."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from ungpkit import __version__


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch("ungpkit.web.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("could not connect to 10.0.0.5")
        response = client.get("/health")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "version": __version__}
    assert b"10.0.0.5" not in response.content


def test_health_only_answers_reads(client: Client) -> None:
    assert client.post("/health").status_code == 405

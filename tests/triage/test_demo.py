"""The demo includes mass complaints: one breach (the same letter, in English and French)
and one outage (each person in their own words), triaged and clustered at load."""

from __future__ import annotations

from typing import Any

from ungpkit.apps.remedy.models import Grievance
from ungpkit.apps.triage.models import Cluster, TriageRecord


def test_the_demo_has_clusters_to_show(db: None, settings: Any) -> None:
    from ungpkit.demo.load import load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    assert not Grievance.objects.filter(triage__isnull=True).exists()
    clusters = list(Cluster.objects.order_by("-size"))
    breach, outage = clusters[0], next(c for c in clusters if "fibremax" in c.label.lower())
    assert breach.size >= 12 and "lumen" in breach.label.lower()
    languages = set(
        Grievance.objects.filter(cluster_membership__cluster=breach).values_list(
            "language", flat=True
        )
    )
    assert {"en", "fr"} <= languages
    assert outage.size >= 6 and outage.kind == "incident"
    assert breach.first_at < breach.last_at
    ages = set(TriageRecord.objects.values_list("created_at__date", flat=True))
    assert len(ages) > 10  # spread over months, so the queue shows waiting times
    load_demo()  # loading again adds nothing
    assert Cluster.objects.count() == len(clusters)

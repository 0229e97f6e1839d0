"""The demo dataset publishes the mechanism's statistics and a GP31 self-assessment."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ungpkit.apps.transparency.models import SelfAssessment, StatisticsSnapshot
from ungpkit.demo.dataset import MECHANISM
from ungpkit.demo.load import SELF_ASSESSMENT, load_demo
from ungpkit.grievances import statistics
from ungpkit.grievances.selfassessment import default_questionnaire


def test_the_demo_publishes_statistics_and_a_self_assessment(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    assert set(SELF_ASSESSMENT) == set(default_questionnaire().question_ids())
    snapshot = StatisticsSnapshot.objects.get(mechanism__slug=MECHANISM["slug"])
    assessment = SelfAssessment.objects.get(mechanism__slug=MECHANISM["slug"])
    assert assessment.publish_summary and assessment.answers.count() == len(SELF_ASSESSMENT)
    assert all(c >= 5 for c in statistics.published_counts(snapshot.statistics))
    body = Client().get(f"/en/transparency/{MECHANISM['slug']}/").content.decode()
    assert "How the mechanism assesses itself" in body
    load_demo()  # again: one more snapshot, the same self-assessment
    assert StatisticsSnapshot.objects.count() == 2
    assert SelfAssessment.objects.get().answers.count() == len(SELF_ASSESSMENT)

"""The UNGP check in the web platform: uploaded laws, their assessments and reviewers' work."""

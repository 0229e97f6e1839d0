"""Grievance triage, priority, mass-complaint clustering and statistics: pure Python."""

"""Triage of grievances, the priority queue, mass-complaint clusters and collective cases."""

"""The grievance mechanism (Pillar III): safe intake, a joint mechanism across companies and
the case workflow to remedy."""

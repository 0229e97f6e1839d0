"""Accounts: organisations, memberships and roles, API tokens and the audit log."""

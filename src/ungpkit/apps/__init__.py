"""Django apps of ungpkit, one per group of users (see ARCHITECTURE.md)."""

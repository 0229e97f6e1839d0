"""The Django shell of ungpkit: settings, URLs, pages and the management entry point."""

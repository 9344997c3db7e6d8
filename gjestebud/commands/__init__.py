"""CLI command groups, each named after a noun."""

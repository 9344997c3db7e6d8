"""Blueprints, one per audience: public (guests), host, staff, health."""

"""Organisations, people and their roles: the tenancy every other app relies on."""

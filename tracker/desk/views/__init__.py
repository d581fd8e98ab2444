"""Desk views, one module per kind of record."""

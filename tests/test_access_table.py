"""Every endpoint of the app is listed in the access table."""

from __future__ import annotations

from tracker.auth.access import ENDPOINT_ACCESS


def test_every_endpoint_is_in_the_access_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - set(ENDPOINT_ACCESS)
    assert missing == set()


def test_the_access_table_names_no_endpoint_that_does_not_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(ENDPOINT_ACCESS) - endpoints == set()

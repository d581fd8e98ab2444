"""The JSON API v1 and its OpenAPI document."""

from tracker.api import checking, writing  # noqa: F401 - register their endpoints
from tracker.api.views import bp

__all__ = ["bp"]

"""WSGI entry point for gunicorn: `gunicorn wsgi:app`.

Runs in production mode unless TRACKER_ENV says otherwise, so SECRET_KEY must be set.
"""

from tracker import create_app

app = create_app({"ENV_NAME_DEFAULT": "production"})

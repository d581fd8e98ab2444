"""WSGI entry point for gunicorn: `gunicorn wsgi:app`.

Runs in production mode unless TRACKER_ENV says otherwise, so SECRET_KEY must be set.
"""

import sys

from gunicorn.arbiter import Arbiter

from tracker import create_app
from tracker.config import ConfigError

try:
    app = create_app({"ENV_NAME_DEFAULT": "production"})
except ConfigError as exc:
    # The message alone, no traceback; gunicorn's "app failed to load" status stops the
    # server instead of booting one failing worker after another.
    print(f"Disinfo Tracker cannot start: {exc}", file=sys.stderr)
    sys.exit(Arbiter.APP_LOAD_ERROR)

"""The web app: FastAPI routers, Jinja2 pages and small hand-written JavaScript.

Importing this package does nothing; `stretchcoach.web.app.create_app` builds an app.
"""

from pathlib import Path

WEB_DIR = Path(__file__).parent  # templates/ and static/ live here

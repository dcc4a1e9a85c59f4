"""The web UI over a store: server-rendered pages (Jinja2) and a JSON API under /api (FastAPI).

Every asset is served from this package (no CDN); every piece of article text is escaped by Jinja2's
autoescaping, and a Content-Security-Policy that allows only this site's own scripts backs that up.

Where things are: ``app`` wires everything (``create_app``); ``routes/`` holds one module per page
family (home, story, event, article, search, the JSON API, errors); ``queries`` holds the SQL;
``db`` the per-thread connections, memos and search index; ``middleware`` the ASGI layers (cache,
security headers, turns); ``templates/`` one Jinja2 template per page.
"""

from __future__ import annotations

from .app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]

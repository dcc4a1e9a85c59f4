"""What every route needs: the store (``Db``), the search index and the page templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from jinja2.filters import FILTERS as DEFAULT_FILTERS

from .. import report
from .db import Db, SearchIndexes

_JINJA_URLENCODE = DEFAULT_FILTERS["urlencode"]


def _urlencode(value: Any) -> str:
    """Jinja's ``urlencode`` without its wrapper's cost on the string case (a search page quotes 20
    article ids); a string's "/" is encoded too: an id such as "a/../b" stays one path segment (the
    routes take ids with "/", and a browser would resolve a literal "/../")."""
    if isinstance(value, str):
        return quote(value, safe="")
    return str(_JINJA_URLENCODE(value))


def templates() -> Environment:
    """The page templates (one per page, all extending base.html.j2), autoescaped."""
    # Templates ship with the package: no per-render check of their files (auto_reload) is needed.
    env = Environment(
        loader=PackageLoader("diemtin.web", "templates"),
        autoescape=select_autoescape(default=True),
        auto_reload=False,
    )
    env.filters["urlencode"] = _urlencode
    env.filters["reason"] = report.reason_text
    # A title the input did not have is marked as the reports mark it (``report.DERIVED_TITLE``).
    env.globals["derived_title"] = report.DERIVED_TITLE
    return env


@dataclass(frozen=True)
class Site:
    """The store, its search index and the templates, shared by the routers of one app."""

    db: Db
    indexes: SearchIndexes
    env: Environment

    def page(self, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        """The template ``name`` rendered with ``ctx``."""
        return HTMLResponse(self.env.get_template(name).render(**ctx), status_code=status)


def found(value: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """``value``, or a 404 naming ``what`` ("chuỗi sự kiện 'x'"): an HTML error page, or JSON under /api."""
    if value is None:
        raise HTTPException(404, f"Không có {what}.")
    return value

"""/api/docs: the JSON API's reference as a page of this site, rendered from the OpenAPI schema.

FastAPI's Swagger UI and ReDoc pages load their scripts and styles from a CDN, so offline (and under this
site's Content-Security-Policy) they are blank; this page is plain server-rendered HTML instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ..site import Site


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the schema: method, path, summary, description and parameters."""
    out = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            params = [
                {
                    "name": p.get("name"),
                    "in": {"path": "đường dẫn", "query": "truy vấn"}.get(p.get("in"), p.get("in")),
                    "required": p.get("required", False),
                    "type": _type(p.get("schema", {})),
                    "default": p.get("schema", {}).get("default"),
                }
                for p in op.get("parameters", [])
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "example": path if "{" not in path else None,
                }
            )
    return out


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    t = str(schema.get("type", "?"))
    bounds = [f"{k} {schema[k]}" for k in ("minimum", "maximum") if k in schema]
    return t + (f" ({', '.join(bounds)})" if bounds else "")


def router(site: Site, openapi: Callable[[], dict[str, Any]]) -> APIRouter:
    r = APIRouter()

    @r.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        schema = openapi()
        return site.page("api_docs.html.j2", info=schema.get("info", {}), endpoints=endpoints(schema))

    return r

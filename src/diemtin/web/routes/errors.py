"""Errors: a Vietnamese HTML page for a page (an unknown address included), JSON under /api."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..site import Site

# The page's heading per status; the message under it says what was not found or what to change.
HEADINGS = {
    404: "Không tìm thấy",
    405: "Không hỗ trợ",
    422: "Yêu cầu không hợp lệ",
}
DEFAULT_MESSAGES = {
    404: "Không có trang nào ở địa chỉ này.",
    405: "Địa chỉ này không nhận kiểu yêu cầu đó.",
}


def install(app: FastAPI, site: Site) -> None:
    """Adds the error handlers to ``app``: Starlette's own HTTPException too (an unknown address is
    raised by the router as one, and answered JSON by default)."""

    def answer(request: Request, status: int, detail: object) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=status)
        message = detail if isinstance(detail, str) and status not in DEFAULT_MESSAGES else None
        return site.page(
            "error.html.j2", status, heading=HEADINGS.get(status, f"Lỗi {status}"),
            message=message or DEFAULT_MESSAGES.get(status, "Đã có lỗi."),
        )  # fmt: skip

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail
        if exc.status_code == 404 and isinstance(detail, str) and detail != "Not Found":
            return answer_found(request, detail)
        return answer(request, exc.status_code, detail)

    def answer_found(request: Request, detail: str) -> Response:
        # found()'s 404s carry their own message (which story or event): shown as is.
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=404)
        return site.page("error.html.j2", 404, heading=HEADINGS[404], message=detail)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return site.page(
            "error.html.j2", 422, heading=HEADINGS[422],
            message=f"Giá trị không hợp lệ ở: {fields}.",
        )  # fmt: skip

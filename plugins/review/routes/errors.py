"""How the review app answers errors: JSON ``{"error": ...}`` under ``/api/``, an error page elsewhere."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from streamkit.errors import StreamkitError

from ..context import ApiError, Forbidden, LoginRedirect, MAX_BODY, review_context
from ..store import ReviewError


def _answer(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return review_context(request).render(request, "error.html", status=status, message=message)


async def api_error(request: Request, exc: ApiError) -> Response:
    return JSONResponse({"error": exc.message}, status_code=exc.status)


async def review_error(request: Request, exc: ReviewError) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


async def streamkit_error(request: Request, exc: StreamkitError) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=501)


async def login_redirect(request: Request, exc: LoginRedirect) -> Response:
    return RedirectResponse(f"/login?next={quote(exc.next)}", status_code=303)


async def forbidden(request: Request, exc: Forbidden) -> Response:
    return _answer(request, 403, review_context(request).t(request)("forbidden"))


async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
    """A path or query value of the wrong kind (``/api/comments/abc``, an id beyond 2⁶³): 400, one line."""
    where = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors()) or "the request"
    return _answer(request, 400, review_context(request).t(request)("error_bad_request", why=f"{where} is not usable"))


async def http_error(request: Request, exc: HTTPException) -> Response:
    t = review_context(request).t(request)
    if exc.status_code == 404:
        message = t("not_found")
    elif exc.status_code == 413:  # the streamed body grew past the limit while it was read
        message = t("error_too_large", max=f"{MAX_BODY:,}")
    else:
        message = str(exc.detail)
    return _answer(request, exc.status_code, message)


def install(app: FastAPI) -> None:
    """Register every handler above on ``app``."""
    app.add_exception_handler(ApiError, api_error)  # type: ignore[arg-type]
    app.add_exception_handler(ReviewError, review_error)  # type: ignore[arg-type]
    app.add_exception_handler(StreamkitError, streamkit_error)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRedirect, login_redirect)  # type: ignore[arg-type]
    app.add_exception_handler(Forbidden, forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, bad_parameter)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]

"""The review app's routes, one small router per area, sharing :class:`~..context.ReviewContext`."""

from __future__ import annotations

from fastapi import APIRouter

from . import auth, comments, media, pages

ROUTERS: tuple[APIRouter, ...] = (auth.router, pages.router, comments.router, media.router)

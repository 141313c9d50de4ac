"""The ``[review]`` section of ``streamkit.toml``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from streamkit.config import Section


class ReviewConfig(Section):
    """Coach review web app: where it listens and how metrics are measured."""

    host: str = Field("127.0.0.1", description="address `streamkit review serve` binds; anything but loopback "
                      "(a blank host, 0.0.0.0 and :: included) requires login")
    port: int = Field(8780, ge=0, le=65535, description="port of the review web app (0 picks a free one)")
    allowed_hosts: list[str] = Field([], description="names the app answers to besides loopback names and the address "
                                     "a visitor connected to (e.g. the name of the https proxy in front of it)")
    trusted_proxies: list[str] = Field(["127.0.0.1", "::1"], description="addresses whose X-Forwarded-Proto/-For "
                                       "headers are believed; over https the login cookie is Secure")
    login_failures_per_account: int = Field(5, ge=1, description="wrong passwords for one account within "
                                            "login_lockout_seconds before logins to it answer 429")
    login_failures_per_address: int = Field(20, ge=1, description="wrong passwords from one address within "
                                            "login_lockout_seconds before its logins answer 429")
    login_lockout_seconds: int = Field(300, ge=1, le=86400, description="window in which failures are counted; "
                                       "a lockout ends when the oldest counted failure is this old")
    language: Literal["zh-CN", "en"] = Field("zh-CN", description="default language of the review pages")
    dead_air_seconds: float = Field(3.0, gt=0, description="a silence at least this long counts as dead air")
    max_comment_chars: int = Field(4000, ge=1, le=100_000, description="longest coach comment accepted")
    fillers_zh: list[str] = Field(["嗯", "啊", "那个", "就是"], description="Mandarin filler words counted in the metrics")
    fillers_en: list[str] = Field(["um", "uh", "like"], description="English filler words counted in the metrics")
    login_days: int = Field(14, ge=1, description="days a login stays valid")

"""Threat 4 — numbers that are not numbers.

A comment time of ``1e999``, ``inf`` or ``nan`` was stored; from then on the comments API, the
report and the session page answered 500 for every viewer, and the page could not show the very
comment its author would have to delete. Such times are refused at the boundary with 400, and
the renderers draw whatever is already stored.
"""

from __future__ import annotations

import sqlite3

import pytest

from streamkit.testing.web import csrf_of


@pytest.mark.parametrize("raw", [b'{"body": "x", "t_start": 1e999}', b'{"body": "x", "t_start": NaN}',
                                 b'{"body": "x", "t_start": Infinity}', b'{"body": "x", "t_start": "inf"}',
                                 b'{"body": "x", "t_start": "nan"}', b'{"body": "x", "t_start": 1, "t_end": "1e999"}',
                                 b'{"body": "x", "t_start": -5}', b'{"body": "x", "t_start": 1e12}'])
def test_non_finite_comment_times_are_refused(local, home, raw: bytes) -> None:
    token = csrf_of(local.get(f"/sessions/{home.sid}").text)
    r = local.post(f"/api/sessions/{home.sid}/comments", content=raw,
                   headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert r.status_code == 400, (raw, r.status_code, r.text)
    assert r.json()["error"]
    assert local.get(f"/api/sessions/{home.sid}/comments").json()["comments"] == []


def test_renderers_survive_non_finite_times_already_stored(local, home) -> None:
    token = csrf_of(local.get(f"/sessions/{home.sid}").text)
    ok = local.post(f"/api/sessions/{home.sid}/comments", json={"body": "坏时间", "t_start": 2, "t_end": 3},
                    headers={"X-CSRF-Token": token})
    assert ok.status_code == 201
    db = sqlite3.connect(home.path / "review.db")
    db.execute("UPDATE comments SET t_start=?, t_end=? WHERE id=?", (float("inf"), float("-inf"), ok.json()["comment"]["id"]))
    db.commit()
    db.close()
    listed = local.get(f"/api/sessions/{home.sid}/comments")
    assert listed.status_code == 200 and listed.json()["comments"][0]["body"] == "坏时间"
    for url in (f"/sessions/{home.sid}", f"/sessions/{home.sid}/report.html", "/"):
        assert local.get(url).status_code == 200, url
    cid = ok.json()["comment"]["id"]
    assert local.delete(f"/api/comments/{cid}", headers={"X-CSRF-Token": token}).status_code == 200

"""Faults on an organisation's server: kill -9 of the server during pushes and comments, of a push, and of
a worker in the middle of a job. Every acknowledged comment and upload survives, an interrupted push
resumes where the server's disk says, and no job runs twice to completion."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from streamkit.overlay import free_port
from streamkit.plugins.review import samples, tables
from streamkit.plugins.review.orgstore import TRANSCRIPT, OrgStore
from streamkit.plugins.review.pushclient import PushFailed, ReviewClient, plan_push, push
from streamkit.plugins.review.store import ReviewStore
from streamkit.plugins.review.testing import ReviewServer, ReviewWorker, login
from streamkit.testing.helpers import wait_until
from streamkit.testing.web import csrf_of

from conftest import PASSWORDS

MB = 1024 * 1024


def received(store: ReviewStore, path: str) -> int:
    U = tables.uploads
    rows = store.db.rows(sa.select(U.c.received).where(U.c.path == path))
    return int(rows[0][0]) if rows else 0


def big_file(path: Path, size: int) -> Path:
    """A recording-sized file (random bytes: the push does not care what is inside)."""
    with open(path, "wb") as f:
        for _ in range(size // MB):
            f.write(os.urandom(MB))
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_server_killed_during_pushes_and_comments(org_database: str, homes: tuple[Path, Path], tmp_path: Path) -> None:
    server_home, pc_home = homes
    port = str(free_port())
    server = ReviewServer(server_home, "--database", org_database, "--port", port).start()
    media = big_file(tmp_path / "big.mkv", 24 * MB)
    plan = plan_push(media)
    store = ReviewStore(org_database)
    offsets: list[int] = []
    outcome: dict[str, object] = {}
    acked: list[int] = []
    stop_comments = threading.Event()

    def pushing() -> None:
        client = ReviewClient(server.url, "anna", home=pc_home, password=lambda: PASSWORDS["anna"])
        try:
            outcome["state"] = push(client, plan, lambda name, done, size: offsets.append(done))
        except PushFailed as exc:
            outcome["error"] = exc
        finally:
            client.close()

    def commenting(sid: str) -> None:
        with httpx.Client(base_url=server.url, timeout=10) as chen:
            login(chen, "chen", PASSWORDS["chen"])
            token = csrf_of(chen.get(f"/sessions/{sid}").text)
            i = 0
            while not stop_comments.is_set():
                i += 1
                try:
                    answer = chen.post(f"/api/sessions/{sid}/comments", json={"body": f"评论 {i}", "t_start": i},
                                       headers={"X-CSRF-Token": token})
                except httpx.HTTPError:
                    time.sleep(0.05)
                    continue
                if answer.status_code == 201:
                    acked.append(int(answer.json()["comment"]["id"]))

    try:
        first = threading.Thread(target=pushing)
        first.start()
        assert wait_until(lambda: store.db.rows(sa.select(tables.sessions.c.id)), timeout=60)
        commenter = threading.Thread(target=commenting, args=(plan.session_id,))
        commenter.start()
        assert wait_until(lambda: received(store, plan.files[0].name) >= 6 * MB and len(acked) >= 5, timeout=120)
        before_kill = received(store, plan.files[0].name)
        server.kill()  # no shutdown code runs
        time.sleep(1.0)
        server.start()  # same port: the push and the comments carry on against the new process
        first.join(240)
        time.sleep(1.0)
        stop_comments.set()
        commenter.join(30)
        assert "error" not in outcome, outcome.get("error")
        assert outcome["state"]["complete"]  # type: ignore[index]
        resumed = [o for o in offsets if o > before_kill - 4 * MB]
        assert resumed and min(offsets[offsets.index(resumed[0]):]) >= before_kill - 4 * MB, "it resumed, not restarted"
        stored = OrgStore(store).session(plan.session_id)
        assert stored is not None and stored.media_sha256 == plan.files[0].sha256
        kept = server_home / "org-media" / "sessions" / plan.session_id / plan.files[0].name
        assert sha(kept) == sha(media), "the stored recording is the pushed one, byte for byte"
        ids = {c.id for c in store.comments(plan.session_id)}
        assert acked and set(acked) <= ids, f"{len(set(acked) - ids)} acknowledged comments lost"

        again: list[int] = []
        client = ReviewClient(server.url, "anna", home=pc_home, password=lambda: PASSWORDS["anna"])
        try:
            assert push(client, plan, lambda name, done, size: again.append(done))["complete"]
        finally:
            client.close()
        assert again == [], "pushing again sends nothing"
    finally:
        stop_comments.set()
        server.stop()
        store.close()


def test_killed_push_resumes_and_a_wrong_checksum_is_sent_again(org_database: str, homes: tuple[Path, Path],
                                                                  tmp_path: Path) -> None:
    server_home, pc_home = homes
    server = ReviewServer(server_home, "--database", org_database).start()
    media = big_file(tmp_path / "evening.mkv", 32 * MB)
    plan = plan_push(media)
    store = ReviewStore(org_database)
    env = {**os.environ, "STREAMKIT_HOME": str(pc_home), "STREAMKIT_REVIEW_PASSWORD": PASSWORDS["anna"]}
    cmd = [sys.executable, "-m", "streamkit", "review", "push", str(media), "--server", server.url, "--user", "anna"]
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_until(lambda: received(store, plan.files[0].name) >= 8 * MB, timeout=120)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        cut = received(store, plan.files[0].name)
        assert 0 < cut < plan.files[0].size
        rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        first_progress = next(line for line in rerun.stdout.splitlines() if "evening.mkv:" in line)
        assert float(first_progress.split(":")[1].split("/")[0]) * 1e6 >= cut, first_progress
        assert OrgStore(store).session(plan.session_id).media_sha256 == plan.files[0].sha256  # type: ignore[union-attr]

        other = big_file(tmp_path / "damaged.mkv", 2 * MB)
        lying = plan_push(other)
        lying.files[0] = lying.files[0].__class__(other, lying.files[0].name, "media", lying.files[0].size, "0" * 64)
        with httpx.Client(base_url=server.url, timeout=30) as raw:
            token = raw.post("/api/tokens", json={"name": "anna", "password": PASSWORDS["anna"]}).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            assert raw.post(f"/api/push/{lying.session_id}/manifest", json=lying.manifest(), headers=auth).status_code == 200
            answer = raw.put(f"/api/push/{lying.session_id}/files/{lying.files[0].name}", params={"offset": 0},
                             content=other.read_bytes(), headers=auth)
            assert answer.status_code == 400 and "sha256" in answer.json()["error"]
            state = raw.get(f"/api/push/{lying.session_id}", headers=auth).json()
            assert state["files"][lying.files[0].name] == 0 and not state["complete"], "dropped, to be sent again"
            ahead = raw.put(f"/api/push/{lying.session_id}/files/{lying.files[0].name}", params={"offset": 4096},
                            content=b"x" * 10, headers=auth)
            assert ahead.status_code == 409 and ahead.json()["received"] == 0, "a chunk at the wrong offset is refused"
    finally:
        server.stop()
        store.close()


@pytest.mark.slow
def test_worker_killed_mid_job_the_job_is_retried_and_finishes_once(org_database: str, homes: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    server_home, pc_home = homes
    wav = tmp_path / "long.wav"
    samples.build_audio([0.3] + [x for clip in samples.EN_CLIPS for x in (clip, 0.4)] * 3, wav)
    recording = samples.encode_audio(wav, tmp_path / "long.ogg")
    server = ReviewServer(server_home, "--database", org_database).start()
    store = ReviewStore(org_database)
    org = OrgStore(store)
    first = second = None
    try:
        client = ReviewClient(server.url, "anna", home=pc_home, password=lambda: PASSWORDS["anna"])
        try:
            plan = plan_push(recording)
            push(client, plan)
        finally:
            client.close()
        sid = plan.session_id
        first = ReviewWorker(server_home, org_database, "--stalled-after", "4").start()

        def running_with_progress() -> bool:
            return any(p.kind == "transcribe" and p.state == "running" and p.done > 0 for p in org.progress(sid))

        assert wait_until(running_with_progress, timeout=240, interval=0.2), first.output()[-2000:]
        first.kill()  # mid-job: its transcript was never stored
        assert not org.completions("transcribe")
        second = ReviewWorker(server_home, org_database, "--stalled-after", "4").start()
        assert wait_until(lambda: org.completions("transcribe"), timeout=300, interval=0.5), second.output()[-3000:]
        done = org.completions("transcribe")
        assert len(done) == 1 and done[0][1].endswith(f":{second.pid}"), done
        progress = {p.kind: p for p in org.progress(sid)}
        assert progress["transcribe"].state == "done" and progress["transcribe"].attempts >= 2
        E = tables.session_events
        stored = store.db.rows(sa.select(sa.func.count(), sa.func.count(sa.distinct(E.c.seq)))
                               .where(E.c.session_id == sid, E.c.stream == TRANSCRIPT))[0]
        assert stored[0] == stored[1] == org.result("transcribe", next(iter(dict(done))))["lines"] > 0  # type: ignore[index]
        jobs = store.db.rows(sa.text("SELECT status, attempts FROM procrastinate_jobs WHERE task_name = 'review:transcribe'"))
        assert len(jobs) == 1 and jobs[0][0] == "succeeded" and jobs[0][1] >= 2, f"one job, retried once: {jobs}"
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()
        server.stop()
        store.close()

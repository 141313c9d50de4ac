"""The organisation's server and a streamer's PC, two STREAMKIT_HOMEs: the streamer pushes a recording and a
session, a worker transcribes the recording, the assigned coach sees the transcript, an unassigned coach
sees nothing (404, as for a session that does not exist), the organiser sees everything, and nothing at
all is served without a login."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from streamkit.plugins.review import samples
from streamkit.plugins.review.orgstore import OrgStore
from streamkit.plugins.review.store import ReviewStore
from streamkit.plugins.review.testing import ReviewServer, ReviewWorker, login
from streamkit.session import Session
from streamkit.testing.helpers import wait_until

from conftest import PASSWORDS

pytestmark = pytest.mark.slow


def push(pc_home: Path, server: ReviewServer, path: Path, user: str = "anna", password: str | None = None,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STREAMKIT_HOME": str(pc_home)}
    env.pop("STREAMKIT_REVIEW_PASSWORD", None)
    if password is not None:
        env["STREAMKIT_REVIEW_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "streamkit", "review", "push", str(path), "--server", server.url,
                           "--user", user], env=env, input=stdin, capture_output=True, text=True, timeout=300)


def recording(work: Path) -> Path:
    """A 15 s English recording (two LibriVox sentences) as Ogg/Opus, made on the streamer's PC."""
    wav = work / "live.wav"
    samples.build_audio([0.5, samples.EN_CLIPS[0], 0.6, samples.EN_CLIPS[1], 0.5], wav)
    return samples.encode_audio(wav, work / "live.ogg")


def test_push_transcribe_coach_sees_it_others_do_not(org_database: str, homes: tuple[Path, Path], pc_session: Session,
                                                     tmp_path: Path) -> None:
    server_home, pc_home = homes
    session = pc_session
    rec = recording(tmp_path)
    server = ReviewServer(server_home, "--database", org_database).start()
    worker = ReviewWorker(server_home, org_database, "--stalled-after", "10").start()
    try:
        first = push(pc_home, server, rec, stdin=PASSWORDS["anna"] + "\n")  # the password once, on standard input
        assert first.returncode == 0, first.stderr
        token_file = pc_home / "review-tokens.json"
        assert token_file.stat().st_mode & 0o777 == 0o600, "the saved token is owner-only"
        again = push(pc_home, server, rec)  # no password any more: the saved token
        assert again.returncode == 0, again.stderr
        folder = push(pc_home, server, session.dir)
        assert folder.returncode == 0, folder.stderr
        rec_id = next(line.rsplit("/", 1)[1] for line in first.stdout.splitlines() if line.startswith("done: "))

        chen = login(httpx.Client(base_url=server.url, timeout=30), "chen", PASSWORDS["chen"])

        def transcript() -> list[list[object]]:
            answer = chen.get(f"/api/sessions/{rec_id}/transcript")
            return answer.json()["lines"] if answer.status_code == 200 else []

        assert wait_until(lambda: transcript(), timeout=240, interval=1.0), worker.output()[-2000:]
        text = " ".join(str(line[2]) for line in transcript()).lower()
        assert "dashwood" in text, text
        page = chen.get(f"/sessions/{rec_id}")
        assert page.status_code == 200 and 'id="jobs"' in page.text, "the page shows the jobs"
        assert chen.get(f"/sessions/{session.id}").status_code == 200
        listing = chen.get("/").text
        assert rec_id in listing and session.id in listing

        dai = login(httpx.Client(base_url=server.url, timeout=30), "dai", PASSWORDS["dai"])
        for sid in (rec_id, session.id):
            for path in (f"/sessions/{sid}", f"/api/sessions/{sid}/transcript", f"/api/sessions/{sid}/comments",
                         f"/sessions/{sid}/media", f"/sessions/{sid}/live", f"/api/sessions/{sid}/jobs",
                         f"/sessions/{sid}/report.html", f"/sessions/{sid}/captions.srt"):
                answer = dai.get(path)
                assert answer.status_code == 404, (path, answer.status_code)
            hidden = dai.get(f"/sessions/{sid}").text.replace(sid, "ID")
            assert hidden == dai.get("/sessions/no-such-session").text.replace("no-such-session", "ID"), "no leak"
        assert rec_id not in dai.get("/").text and session.id not in dai.get("/").text

        organiser = login(httpx.Client(base_url=server.url, timeout=30), "org", PASSWORDS["org"])
        assert rec_id in organiser.get("/").text and session.id in organiser.get("/").text
        assert organiser.get(f"/api/sessions/{rec_id}/transcript").json()["lines"]

        anonymous = httpx.Client(base_url=server.url, timeout=30)
        for path in ("/", f"/sessions/{rec_id}", f"/sessions/{rec_id}/media", f"/sessions/{rec_id}/live", "/organise",
                     f"/sessions/{rec_id}/report.html"):
            answer = anonymous.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path
        for path in (f"/api/sessions/{rec_id}/transcript", f"/api/sessions/{rec_id}/live", f"/api/push/{rec_id}",
                     f"/api/live/{rec_id}/prompts"):
            assert anonymous.get(path).status_code == 401, path
        assert anonymous.get(f"/api/push/{rec_id}", headers={"Authorization": "Bearer forged"}).status_code == 401
        for client in (chen, dai, organiser, anonymous):
            client.close()
    finally:
        worker.stop()
        server.stop()
    review = ReviewStore(org_database)
    try:
        done = OrgStore(review).completions("transcribe")
        assert len(done) == 1, "the recording was pushed twice and transcribed once"
    finally:
        review.close()

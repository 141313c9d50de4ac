"""Jobs of an organisation's server on procrastinate, a job engine that keeps its queue in the same
PostgreSQL: transcribing pushed recordings, metrics, PDF reports.

Why procrastinate: no second server to run (the queue is tables in the database the review server
already uses), and a job is enqueued in the *same transaction* that stores the upload or comment
that asks for it, so there is never an upload without its job or a job without its upload.
Workers (``streamkit review worker``, any number, on any machine that reaches the database) send
heartbeats; a worker that dies (kill -9, power cut) stops sending them, and every worker looks for
such stalled jobs and puts them back in the queue. A job body is keyed by the hash of the content
it works on and records its completion in the same transaction as its results, under that key
(:meth:`~.orgstore.OrgStore.complete`): a job run twice finishes once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import procrastinate
from procrastinate import exceptions as pexc
from sqlalchemy.engine import Connection

from .config import ReviewConfig
from .db import libpq_url
from .orgservice import OrgService
from .orgstore import TRANSCRIPT, OrgStore

log = logging.getLogger(__name__)

QUEUE = "review"
TRANSCRIBE, METRICS, REPORT = "transcribe", "metrics", "report"
RETRY = procrastinate.RetryStrategy(max_attempts=5, wait=5, exponential_wait=2)
PROGRESS_EVERY = 1.0  # seconds between progress writes while transcribing

blueprint = procrastinate.Blueprint()


def content_key(*parts: Any) -> str:
    """A stable hash of what a job works on (its completion key)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def make_app(database: str) -> procrastinate.App:
    """The job engine on ``database`` (enqueueing works unopened, inside the caller's transaction)."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=libpq_url(database)))
    app.add_tasks_from(blueprint, namespace="review")
    return app


def enqueue(app: procrastinate.App, org: OrgStore, conn: Connection, kind: str, session_id: str, key: str,
            **args: Any) -> bool:
    """Queue job ``kind`` for ``session_id`` in the caller's transaction (``conn``), unless it already
    finished for this content (``key``) or is already waiting. True when a job was queued."""
    if org.result(kind, key) is not None:
        return False
    raw = conn.connection.driver_connection
    try:
        with conn.begin_nested():  # a refused duplicate must not abort the caller's transaction
            app.configure_task(f"review:{kind}", queueing_lock=f"{kind}:{key}", lock=f"{kind}:{key}",
                               connection=raw).defer(session_id=session_id, key=key, **args)
    except pexc.AlreadyEnqueued:
        return False
    org.set_progress(session_id, kind, "queued", conn=conn)
    return True


# -- what a worker runs ------------------------------------------------------------------------
@dataclass
class WorkerEnv:
    """Everything a job body needs in a worker process (the model is loaded on first use)."""

    service: OrgService
    app: procrastinate.App  # never opened: it queues follow-up jobs inside the job's own transaction
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    model: str = "base"
    _decoder: Any = None

    @property
    def org(self) -> OrgStore:
        return self.service.org

    def decoder(self) -> Any:
        if self._decoder is None:
            from .importer import load_whisper

            self._decoder = load_whisper(self.model)
        return self._decoder


class _FinishedElsewhere(Exception):
    """Another run of the same job completed first: roll this one's results back."""


def finish(env: WorkerEnv, kind: str, key: str, session_id: str, result: dict[str, Any],
           store: Callable[[Connection], None]) -> bool:
    """Record the completion of ``kind`` for ``key`` and ``store`` its results, in one transaction —
    or nothing at all when another run already completed it (False)."""
    try:
        with env.org.db.write() as conn:
            if not env.org.complete(conn, kind, key, session_id, result, env.name):
                raise _FinishedElsewhere
            store(conn)
    except _FinishedElsewhere:
        log.info("%s %s was completed by another run; this run's results are dropped", kind, key[:12])
        return False
    return True


def _env(context: procrastinate.JobContext) -> WorkerEnv:
    env = context.additional_context["env"]
    assert isinstance(env, WorkerEnv)
    return env


@blueprint.task(name=TRANSCRIBE, queue=QUEUE, retry=RETRY, pass_context=True)
def transcribe_job(context: procrastinate.JobContext, session_id: str, key: str, language: str = "auto") -> None:
    """Transcribe the session's recording into a ``transcript`` stream of final captions; then metrics."""
    env = _env(context)
    org = env.org
    if org.result(TRANSCRIBE, key) is not None:
        org.set_progress(session_id, TRANSCRIBE, "done", done=1, total=1)
        return
    row = org.session(session_id)
    if row is None or not row.media_key:
        return
    org.set_progress(session_id, TRANSCRIBE, "running", total=row.media_seconds or 0.0, attempt=True,
                     message=env.name)
    from .importer import caption_events, decode_audio, transcribe

    with tempfile.TemporaryDirectory(prefix="streamkit-job-") as tmp:
        local = env.service.media.local_path(row.media_key) or env.service.media.fetch(
            row.media_key, Path(tmp) / Path(row.media_key).name)
        audio = decode_audio(local)
    duration = len(audio) / 16000
    lang, segments = transcribe(env.decoder(), audio, language)  # type: ignore[arg-type]
    found, last = [], 0.0
    for seg in segments:
        found.append(seg)
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            org.set_progress(session_id, TRANSCRIBE, "running", done=min(seg.end, duration), total=duration,
                             message=env.name)
    events = [c.to_dict() for c in caption_events(found, row.started, lang)]

    def store(conn: Connection) -> None:
        org.add_events(session_id, list(enumerate(events, start=1)), stream=TRANSCRIPT, conn=conn)
        org.set_progress(session_id, TRANSCRIBE, "done", done=duration, total=duration, message=env.name, conn=conn)
        enqueue(env.app, org, conn, METRICS, session_id, content_key(METRICS, session_id, key, len(events)))

    finish(env, TRANSCRIBE, key, session_id, {"lines": len(events), "language": lang}, store)


@blueprint.task(name=METRICS, queue=QUEUE, retry=RETRY, pass_context=True)
def metrics_job(context: procrastinate.JobContext, session_id: str, key: str) -> None:
    """Per-minute speaking rates of the session, kept as the baseline of the streamer's other sessions."""
    env = _env(context)
    org = env.org
    if org.result(METRICS, key) is not None:
        return
    org.set_progress(session_id, METRICS, "running", attempt=True, message=env.name)
    session = env.service.session(session_id)
    finish(env, METRICS, key, session_id, env.service.rates_of(session),
           lambda conn: org.set_progress(session_id, METRICS, "done", done=1, total=1, message=env.name, conn=conn))


@blueprint.task(name=REPORT, queue=QUEUE, retry=RETRY, pass_context=True)
def report_job(context: procrastinate.JobContext, session_id: str, key: str, lang: str = "zh-CN") -> None:
    """The PDF report (headless Chromium), kept in the media store until the session or its comments change."""
    env = _env(context)
    org = env.org
    if org.result(REPORT, key) is not None:
        return
    org.set_progress(session_id, REPORT, "running", attempt=True, message=env.name)
    from .export import html_to_pdf

    media_key = f"reports/{session_id}/{key[:32]}.pdf"
    with tempfile.TemporaryDirectory(prefix="streamkit-job-") as tmp:
        pdf = html_to_pdf(env.service.report_html(session_id, lang), Path(tmp) / "report.pdf")
        env.service.media.put(media_key, pdf)
    finish(env, REPORT, key, session_id, {"media_key": media_key, "lang": lang},
           lambda conn: org.set_progress(session_id, REPORT, "done", done=1, total=1, message=env.name, conn=conn))


def report_key(service: OrgService, session_id: str, lang: str) -> str:
    return content_key(REPORT, session_id, lang, service.signature(session_id),
                       service.store.comments_version(session_id))


# -- the worker process --------------------------------------------------------------------------
async def _recover_stalled(app: procrastinate.App, stalled_after: float, every: float) -> None:
    """Put the jobs of workers that stopped sending heartbeats back in the queue (every worker does this)."""
    while True:
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
                try:
                    await app.job_manager.retry_job(job)
                    log.warning("job %s (%s) of a stalled worker is queued again", job.id, job.task_name)
                except pexc.ConnectorException:
                    pass  # another worker took it back first
        except pexc.ConnectorException as exc:
            log.warning("could not look for stalled jobs: %s", exc)
        await asyncio.sleep(every)


async def run_worker(home: Path, config: ReviewConfig, database: str, *, concurrency: int = 1,
                     stalled_after: float = 30.0, model: str = "base") -> None:
    """Run jobs until cancelled (Ctrl-C / SIGTERM finish the running job first)."""
    service = OrgService(home, config, database)
    app = make_app(database)
    env = WorkerEnv(service, make_app(database), model=model)
    heartbeat = max(0.5, stalled_after / 3)
    async with app.open_async():
        recovery = asyncio.create_task(_recover_stalled(app, stalled_after, heartbeat))
        try:
            await app.run_worker_async(queues=[QUEUE], concurrency=concurrency, name=env.name,
                                       additional_context={"env": env}, update_heartbeat_interval=heartbeat,
                                       stalled_worker_timeout=stalled_after)
        finally:
            recovery.cancel()
            service.close()

"""``streamkit review ...``: serve, import, user, share, own, list, export — and for an organisation's
server: migrate, assign, push, worker."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from streamkit.errors import StreamkitError
from streamkit.home import streamkit_home

from .config import ReviewConfig

if TYPE_CHECKING:
    from .service import ReviewService


def _config(args: argparse.Namespace) -> ReviewConfig:
    path = getattr(args, "config", None)
    if not path:
        return ReviewConfig()
    from streamkit.config import load

    config = load(path)
    return config.section("review") if config.has("review") else ReviewConfig()


def add_review_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    """The ``review`` command and its actions."""
    review = subparsers.add_parser("review", help="coach review web app: sessions, transcript, timeline, metrics, comments",
                                   description="Coach review (直播复盘): look through recorded sessions with a coach.")
    sub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    serve = sub.add_parser("serve", help="start the review web app (127.0.0.1 without login by default)")
    serve.add_argument("--host", help="address to bind (default from [review] host, 127.0.0.1); anything but loopback "
                       "(a blank host and 0.0.0.0 included) requires login")
    serve.add_argument("--port", type=int, help="port (default from [review] port, 8780; 0 picks a free one)")
    serve.add_argument("--login", action="store_true", help="require login even on 127.0.0.1")
    serve.add_argument("--config", help="streamkit.toml with a [review] section")
    _database_arg(serve, "serve the organisation's server from this PostgreSQL (login always required)")
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="bring the review database's schema up to date (also done at every start)")
    _database_arg(migrate, "the organisation's PostgreSQL (default: this PC's review.db)")
    migrate.add_argument("--config", help="streamkit.toml with a [review] section")
    migrate.set_defaults(func=cmd_migrate)

    assign = sub.add_parser("assign", help="let a coach see (and coach live) every session of a streamer")
    assign.add_argument("coach")
    assign.add_argument("streamer")
    assign.add_argument("--remove", action="store_true", help="end the assignment")
    _database_arg(assign, "the organisation's PostgreSQL")
    assign.add_argument("--config", help="streamkit.toml with a [review] section")
    assign.set_defaults(func=cmd_assign)

    push = sub.add_parser("push", help="send a session folder or a recording to the organisation's server (resumable)")
    push.add_argument("path", nargs="?", help="a session folder (see streamkit sessions) or a video/audio file")
    push.add_argument("--server", help="the server's address (default: [review] server)")
    push.add_argument("--user", help="your streamer account there (default: [review] user); the password comes from "
                      "STREAMKIT_REVIEW_PASSWORD or standard input once, then a saved token")
    push.add_argument("--pending", action="store_true", help="push the sessions whose push has not finished yet")
    push.add_argument("--wait", type=float, default=0.0, help=argparse.SUPPRESS)  # --pending: wait for a session to end
    push.add_argument("--config", help="streamkit.toml with a [review] section")
    push.set_defaults(func=cmd_push)

    worker = sub.add_parser("worker", help="run the organisation's jobs: transcription, metrics, PDF reports")
    _database_arg(worker, "the organisation's PostgreSQL")
    worker.add_argument("--concurrency", type=int, default=1, help="jobs run at once by this worker (default 1)")
    worker.add_argument("--stalled-after", type=float, default=30.0,
                        help="seconds without a heartbeat before a worker's job is given to another (default 30)")
    worker.add_argument("--model", default="base", help="Whisper model for transcription (default base)")
    worker.add_argument("--config", help="streamkit.toml with a [review] section")
    worker.set_defaults(func=cmd_worker)

    imp = sub.add_parser("import", help="make a session from a recording (transcribed with whisper-base)")
    imp.add_argument("video", help="video or audio file (anything ffmpeg reads)")
    imp.add_argument("--language", choices=["auto", "zh", "en"], default="auto", help="spoken language (default: detect)")
    imp.add_argument("--name", default="", help="name in the session list (default: the file name)")
    imp.add_argument("--owner", default="", help="streamer account that owns the session")
    imp.add_argument("--model", default="base", help="Whisper model: base (multilingual) or a CTranslate2 model folder")
    imp.set_defaults(func=cmd_import)

    user = sub.add_parser("user", help="accounts for login when the app is exposed with --host")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add a streamer or coach account (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", choices=["streamer", "coach", "organiser"], required=True,
                     help="organiser: only on an organisation's server (--database)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd = user_sub.add_parser("passwd", help="set a new password (ends that user's logins)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    rm = user_sub.add_parser("remove", help="remove an account (their comments stay)")
    rm.add_argument("name")
    listing = user_sub.add_parser("list", help="list accounts")
    for parser, func in ((add, cmd_user_add), (passwd, cmd_user_passwd), (rm, cmd_user_remove), (listing, cmd_user_list)):
        _database_arg(parser, "the organisation's PostgreSQL (default: this PC's review.db)")
        parser.add_argument("--config", help="streamkit.toml with a [review] section")
        parser.set_defaults(func=func)

    share = sub.add_parser("share", help="let a coach see a session")
    share.add_argument("session")
    share.add_argument("coach")
    share.add_argument("--remove", action="store_true", help="stop sharing")
    share.set_defaults(func=cmd_share)
    own = sub.add_parser("own", help="make a streamer the owner of sessions")
    own.add_argument("streamer")
    own.add_argument("sessions", nargs="+", help="session ids")
    own.set_defaults(func=cmd_own)

    listing = sub.add_parser("list", help="list sessions")
    _database_arg(listing, "list the organisation's sessions instead of this PC's")
    listing.add_argument("--config", help="streamkit.toml with a [review] section")
    listing.set_defaults(func=cmd_list)

    export = sub.add_parser("export", help="write a report (HTML/PDF) or subtitles (SRT/WebVTT)")
    export.add_argument("session")
    export.add_argument("--format", choices=["html", "pdf", "srt", "vtt"], default="html")
    export.add_argument("--lang", choices=["zh-CN", "en"], default=None, help="report language (default from config)")
    export.add_argument("-o", "--output", help="output file (default: SESSION.<format> here)")
    export.add_argument("--config", help="streamkit.toml with a [review] section")
    export.set_defaults(func=cmd_export)
    return review


def _database_arg(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--database", metavar="URL", help=f"{help_text}; postgresql://USER:PASSWORD@HOST:PORT/NAME "
                        "(default: [review] database)")


def _database(args: argparse.Namespace) -> str:
    """``--database``, else ``[review] database`` ('' = this PC)."""
    url = getattr(args, "database", None) or _config(args).database
    if url:
        from .db import postgres_url

        postgres_url(url)  # not PostgreSQL: one line here, before anything opens
    return url or ""


@contextmanager
def open_service(args: argparse.Namespace) -> Iterator["ReviewService"]:
    """The review service over STREAMKIT_HOME (or the organisation's database) with the ``[review]``
    config of ``args``, closed afterwards."""
    from .service import ReviewService

    database = _database(args)
    if database:
        from .orgservice import OrgService

        service: ReviewService = OrgService(streamkit_home(), _config(args), database)
    else:
        service = ReviewService(streamkit_home(), _config(args))
    try:
        yield service
    finally:
        service.close()


def _password(args: argparse.Namespace, name: str) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"password for {name}: ")
    if getpass.getpass("again: ") != first:
        raise StreamkitError("the two passwords differ", "run the command again")
    return first


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import serve

    cfg = _config(args)
    host = cfg.host if args.host is None else args.host
    port = cfg.port if args.port is None else args.port
    return serve(streamkit_home(), cfg, host, port, force_login=args.login, database=_database(args))


def cmd_migrate(args: argparse.Namespace) -> int:
    from .db import current_revision

    with open_service(args) as service:  # opening migrates
        print(f"review database at schema revision {current_revision(service.store.db)}")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    if not _database(args):
        raise StreamkitError("assignments are kept on an organisation's server", "pass --database postgresql://…")
    with open_service(args) as service:
        if args.remove:
            service.store.unassign(args.coach, args.streamer)
            print(f"{args.coach} no longer coaches {args.streamer}")
        else:
            service.store.assign(args.coach, args.streamer)
            print(f"{args.coach} now coaches {args.streamer}: every session of {args.streamer}, live and recorded")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from .pushcli import push_pending, push_path

    cfg = _config(args)
    if args.pending:
        return push_pending(streamkit_home(), args.wait)
    if not args.path:
        raise StreamkitError("nothing to push", "give a session folder or a recording, or --pending")
    return push_path(Path(args.path), args.server or cfg.server, args.user or cfg.user)


def cmd_worker(args: argparse.Namespace) -> int:
    import asyncio

    from .jobs import run_worker

    database = _database(args)
    if not database:
        raise StreamkitError("a worker runs the jobs of an organisation's server", "pass --database postgresql://…")
    print(f"streamkit review worker: running jobs from {_safe(database)} (Ctrl-C stops after the running job)", flush=True)
    asyncio.run(run_worker(streamkit_home(), _config(args), database, concurrency=args.concurrency,
                           stalled_after=args.stalled_after, model=args.model))
    return 0


def _safe(url: str) -> str:
    from .server import safe_url

    return safe_url(url)


def cmd_import(args: argparse.Namespace) -> int:
    from streamkit.session import SessionStore
    from streamkit.sources.audio import FileAudioSource

    from .importer import import_recording, load_whisper

    video = Path(args.video)
    FileAudioSource(video)  # an unreadable file fails here, before the model loads
    if args.owner:
        with open_service(args) as service:  # an unknown owner fails here, before the model loads
            service.store.require_user(args.owner, "streamer")
    store = SessionStore(streamkit_home())
    try:
        decoder = load_whisper(args.model)
        session = import_recording(video, store=store, decoder=decoder, language=args.language, name=args.name)
    finally:
        store.close()
    if args.owner:
        with open_service(args) as service:
            service.store.set_owner(session.id, args.owner)
    print(f"session {session.id}: {session.dir}")
    print(f"review it: streamkit review serve, then open /sessions/{session.id}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        user = service.store.add_user(args.name, args.role, _password(args, args.name))
    print(f"added {user.role} {user.name}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        service.store.set_password(args.name, _password(args, args.name))
    print(f"password of {args.name} changed")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        service.store.remove_user(args.name)
    print(f"removed {args.name}")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        for user in service.store.users():
            print(f"{user.name}\t{user.role}")
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        service.require_folder(args.session)
        if args.remove:
            service.store.unshare(args.session, args.coach)
            print(f"{args.session} no longer shared with {args.coach}")
        else:
            service.store.share(args.session, args.coach)
            print(f"{args.session} shared with {args.coach}")
    return 0


def cmd_own(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        for sid in args.sessions:
            service.require(sid)
            service.store.set_owner(sid, args.streamer)
            print(f"{sid} owned by {args.streamer}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .service import fmt_time

    if _database(args):
        with open_service(args) as service:
            from .store import LOCAL_OWNER, User

            for row in service.listing(User(0, LOCAL_OWNER, "owner")):
                print(f"{row['id']}\t{fmt_time(row['started'])}\t{row['owner']}\t{row['name']}")
        return 0
    with open_service(args) as service:
        rows = service.all_sessions()
        for sid, row in rows.items():
            print(f"{sid}\t{fmt_time(row.get('started'))}\t{row.get('name', '')}")
        if not rows:
            print(f"no sessions under {service.home / 'sessions'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import html_to_pdf, to_srt, to_vtt

    with open_service(args) as service:
        out = Path(args.output or f"{args.session}.{args.format}")
        lang = args.lang or service.config.language
        if args.format == "srt":
            out.write_text(to_srt(service.session(args.session).lines), encoding="utf-8")
        elif args.format == "vtt":
            out.write_text(to_vtt(service.session(args.session).lines), encoding="utf-8")
        elif args.format == "html":
            out.write_text(service.report_html(args.session, lang), encoding="utf-8")
        else:
            html_to_pdf(service.report_html(args.session, lang), out.resolve())
    print(f"wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m streamkit.plugins.review ACTION`` (same as ``streamkit review ACTION``)."""
    parser = argparse.ArgumentParser(prog="streamkit")
    add_review_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["review", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.func(args) or 0)
    except StreamkitError as exc:
        print(f"streamkit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

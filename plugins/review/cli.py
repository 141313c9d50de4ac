"""``streamkit review ...``: serve, import, user, share, own, list, export."""

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
    serve.set_defaults(func=cmd_serve)

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
    add.add_argument("--role", choices=["coach", "streamer"], required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_user_add)
    passwd = user_sub.add_parser("passwd", help="set a new password (ends that user's logins)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(func=cmd_user_passwd)
    rm = user_sub.add_parser("remove", help="remove an account (their comments stay)")
    rm.add_argument("name")
    rm.set_defaults(func=cmd_user_remove)
    user_sub.add_parser("list", help="list accounts").set_defaults(func=cmd_user_list)

    share = sub.add_parser("share", help="let a coach see a session")
    share.add_argument("session")
    share.add_argument("coach")
    share.add_argument("--remove", action="store_true", help="stop sharing")
    share.set_defaults(func=cmd_share)
    own = sub.add_parser("own", help="make a streamer the owner of sessions")
    own.add_argument("streamer")
    own.add_argument("sessions", nargs="+", help="session ids")
    own.set_defaults(func=cmd_own)

    sub.add_parser("list", help="list sessions").set_defaults(func=cmd_list)

    export = sub.add_parser("export", help="write a report (HTML/PDF) or subtitles (SRT/WebVTT)")
    export.add_argument("session")
    export.add_argument("--format", choices=["html", "pdf", "srt", "vtt"], default="html")
    export.add_argument("--lang", choices=["zh-CN", "en"], default=None, help="report language (default from config)")
    export.add_argument("-o", "--output", help="output file (default: SESSION.<format> here)")
    export.add_argument("--config", help="streamkit.toml with a [review] section")
    export.set_defaults(func=cmd_export)
    return review


@contextmanager
def open_service(args: argparse.Namespace) -> Iterator["ReviewService"]:
    """The review service over STREAMKIT_HOME with the ``[review]`` config of ``args``, closed afterwards."""
    from .service import ReviewService

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
    return serve(streamkit_home(), cfg, host, port, force_login=args.login)


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
            service.require_folder(sid)
            service.store.set_owner(sid, args.streamer)
            print(f"{sid} owned by {args.streamer}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .service import fmt_time

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

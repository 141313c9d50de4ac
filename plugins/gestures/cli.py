"""``streamkit gestures``: classify photos, enroll personal signs, calibrate the neutral face, list signs."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streamkit.errors import SourceError, StreamkitError

if TYPE_CHECKING:
    from .enrol import SignCapture

from .face import FACE_GESTURES, FACE_THRESHOLDS, FaceTracker, NeutralFace, default_neutral_path
from .frames import LabelledImage, frames, list_images, open_video_source, read_image
from .profile import SignProfile, default_profile_path, load_profile
from .signs import BUILTIN_SIGNS, NONE


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``streamkit gestures …``."""
    p = subparsers.add_parser("gestures", help="hand signs and face gestures: classify, enroll, calibrate")
    sub = p.add_subparsers(dest="gestures_command", metavar="ACTION", required=True)

    c = sub.add_parser("classify", help="recognise the hand sign in each photo of a folder")
    c.add_argument("--images", required=True, help="folder of photos, or of one subfolder per sign (then accuracy is printed)")
    c.add_argument("--profile", help="personal sign profile (default: built-in signs only)")
    c.add_argument("--builtin", action="store_true", help="also use the built-in signs when --profile is given")
    c.add_argument("--json", dest="json_out", help="write the results to this JSON file")
    c.add_argument("--min-confidence", type=float, default=0.3, help="hand detection confidence (default 0.3: people 1–3 m away)")
    c.set_defaults(func=cmd_classify)

    e = sub.add_parser("enroll", help="learn a personal sign from your own hand, or your resting hands (NAME = rest)")
    e.add_argument("name", help="name of the sign, e.g. my_wave or 挥手; 'rest' records your relaxed hands, which then never fire a sign")
    src = e.add_mutually_exclusive_group(required=True)
    src.add_argument("--camera", nargs="?", type=int, const=0, help="take samples from the camera (index, default 0)")
    src.add_argument("--video", help="take samples from a video file")
    src.add_argument("--images", help="take samples from the photos in a folder")
    e.add_argument("--profile", help=f"profile file (default {default_profile_path()})")
    e.add_argument("--samples", type=int, default=5, help="samples to take from camera/video (default 5)")
    e.add_argument("--threshold", type=float, help="match distance limit for the whole profile (default: keep, else 0.35)")
    e.add_argument("--add", action="store_true", help="add to the sign's samples instead of replacing them")
    e.set_defaults(func=cmd_enroll)

    f = sub.add_parser("forget", help="remove a personal sign from the profile")
    f.add_argument("name")
    f.add_argument("--profile", help=f"profile file (default {default_profile_path()})")
    f.set_defaults(func=cmd_forget)

    k = sub.add_parser("calibrate", help="record your neutral face, then show each face score live against its threshold")
    ksrc = k.add_mutually_exclusive_group(required=True)
    ksrc.add_argument("--camera", nargs="?", type=int, const=0, help="camera index (default 0)")
    ksrc.add_argument("--video", help="a video file of your face")
    ksrc.add_argument("--obs-source", help="an OBS source showing your face (uses [obs] of --config)")
    k.add_argument("--config", help="streamkit.toml: thresholds of [gestures] bindings, and [obs] for --obs-source")
    k.add_argument("--url", help="obs-websocket address for --obs-source (default: [obs] url of --config)")
    k.add_argument("--password", help="obs-websocket password for --obs-source (default: [obs] password or STREAMKIT_OBS_PASSWORD)")
    k.add_argument("--seconds", type=float, default=3.0, help="seconds of relaxed face to record (default 3)")
    k.add_argument("--watch", type=float, default=0.0, help="seconds to show live scores afterwards (default: until the video ends or Ctrl-C)")
    k.add_argument("--neutral", help=f"where to save the neutral face (default {default_neutral_path()})")
    k.add_argument("--fast", action="store_true", help="read a video file as fast as possible instead of at its own speed")
    k.set_defaults(func=cmd_calibrate)

    s = sub.add_parser("signs", help="list built-in signs, face gestures and your personal signs")
    s.add_argument("--profile", help="personal sign profile")
    s.set_defaults(func=cmd_signs)


# ---------------------------------------------------------------- classify


@dataclass
class ImageResult:
    """What ``classify`` found in one photo."""

    file: str
    label: str | None
    hand_found: bool
    gesture: str
    score: float
    kind: str


def classify_images(images: list[LabelledImage], *, profile: SignProfile | None, builtin: bool,
                    min_confidence: float = 0.3) -> list[ImageResult]:
    """Run the hand tracker (image mode, small hands refined) and the classifier on every photo."""
    from .detector import HandClassifier
    from .hands import HandTracker

    classifier = HandClassifier(profile, builtin=builtin)
    results: list[ImageResult] = []
    with HandTracker(mode="image", max_hands=2, min_detection=min_confidence, refine=True) as tracker:
        for item in images:
            hands = tracker.detect(read_image(item.path))
            _, label = classifier.best(hands)
            results.append(ImageResult(str(item.path), item.label, bool(hands), label.name, round(label.score, 3), label.kind))
    return results


def confusion(results: list[ImageResult]) -> tuple[list[str], dict[str, Counter[str]], float]:
    """Labels, ``{truth: Counter(predicted)}`` and accuracy over labelled results."""
    labelled = [r for r in results if r.label is not None]
    table: dict[str, Counter[str]] = {}
    for r in labelled:
        table.setdefault(r.label, Counter())[r.gesture] += 1  # type: ignore[index]
    labels = sorted(set(table) | {g for c in table.values() for g in c})
    correct = sum(1 for r in labelled if r.gesture == r.label)
    return labels, table, (correct / len(labelled)) if labelled else float("nan")


def cmd_classify(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    images = list_images(args.images)
    profile = load_profile(args.profile) if args.profile else None
    builtin = args.builtin or profile is None
    results = classify_images(images, profile=profile, builtin=builtin, min_confidence=args.min_confidence)
    for r in results:
        print(f"{r.file}, {str(r.hand_found).lower()}, {r.gesture}, {r.score:.2f}")
    out: dict[str, Any] = {"images": [asdict(r) for r in results], "builtin": builtin,
                           "profile": str(profile.path) if profile else None}
    if any(r.label is not None for r in results):
        labels, table, accuracy = confusion(results)
        n = sum(1 for r in results if r.label is not None)
        print(f"accuracy: {sum(1 for r in results if r.label is not None and r.gesture == r.label)}/{n} = {accuracy:.1%}")
        grid = Table(title="confusion (rows: folder, columns: recognised)")
        grid.add_column("")
        for lab in labels:
            grid.add_column(lab, justify="right")
        for truth in sorted(table):
            grid.add_row(truth, *[str(table[truth].get(lab, 0) or "·") for lab in labels])
        Console(file=sys.stdout, width=160).print(grid)
        out["accuracy"] = accuracy
        out["confusion"] = {t: dict(c) for t, c in table.items()}
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


# ---------------------------------------------------------------- enroll


def capture_from_images(capture: "SignCapture", directory: str | Path) -> list[str]:
    """Take a sample from each photo of ``directory``; one line per photo not taken, saying why."""
    from .enrol import sample_tracker

    skipped: list[str] = []
    with sample_tracker() as tracker:
        for item in list_images(directory):
            image = read_image(item.path)
            check = capture.take(image, tracker.detect(image))
            if not check.ok:
                skipped.append(f"{item.path}: {check.message('en')} (skipped)")
    return skipped


def capture_from_frames(capture: "SignCapture", source: Any, *, every: float = 0.3, timeout: float | None = None,
                        announce: Any = None) -> None:
    """Take samples from a video source, at least ``every`` seconds apart, until enough or ``timeout``;
    ``announce(text)`` hears the verdict on every picture tried."""
    from .enrol import sample_tracker

    last = float("-inf")
    start: float | None = None
    with sample_tracker() as tracker:
        for t, image in frames(source):
            start = t if start is None else start
            if timeout is not None and t - start > timeout:
                break
            if t - last < every:
                continue
            last = t
            check = capture.take(image, tracker.detect(image))
            if announce:
                announce(f"sample {len(capture.taken)}/{capture.wanted}: {check.message('en')}")
            if capture.done:
                source.close()
                break


def cmd_enroll(args: argparse.Namespace) -> int:
    from .enrol import SignCapture

    capture = SignCapture(args.name, wanted=args.samples)
    path = Path(args.profile).expanduser() if args.profile else default_profile_path()
    profile = SignProfile.load(path) if path.exists() else SignProfile(path=path)
    if args.threshold is not None:
        if not 0 < args.threshold < 5:
            raise StreamkitError(f"--threshold {args.threshold} is out of range", "use a value between 0.1 and 1 (default 0.35)")
        profile.threshold = args.threshold
    if args.images:
        for line in capture_from_images(capture, args.images):
            print(line, file=sys.stderr)
    elif args.video:
        capture_from_frames(capture, open_video_source(video=args.video, fps=10))
    else:
        source = open_video_source(camera=args.camera, fps=15)
        what = "rest your hands as you do while streaming" if capture.rest else f"show the sign '{capture.name}' and hold it"
        print(f"{what.capitalize()}; {args.samples} samples will be taken. / 请对着摄像头做出手势并保持。")
        for n in (3, 2, 1):
            print(f"  {n}…", flush=True)
            time.sleep(1)
        capture_from_frames(capture, source, every=0.4, timeout=30, announce=lambda text: print(f"  {text}", flush=True))
    result = capture.save_to(profile, path, replace=not args.add)
    print(f"enrolled '{result.name}': {result.samples} sample(s) in {result.path}")
    if result.checked > 1 and not capture.rest:
        print(f"self-check (each sample against the others): {result.recognised}/{result.checked} recognised")
    for warning in result.warnings("en"):
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    path = Path(args.profile).expanduser() if args.profile else default_profile_path()
    profile = SignProfile.load(path)
    profile.remove(args.name)
    profile.save(path)
    print(f"removed '{args.name}' from {path}")
    return 0


# ---------------------------------------------------------------- calibrate


def face_thresholds(config: Any | None) -> dict[str, float]:
    """Each face gesture's threshold: from the config's bindings where bound, else ``[gestures] thresholds``,
    else the default."""
    if config is None or not config.has("gestures"):
        return dict(FACE_THRESHOLDS)
    section = config.section("gestures")
    out = {g: section.threshold_of(g) for g in FACE_THRESHOLDS}
    for b in section.bindings:
        for g in b.gestures:
            if g in out and b.threshold:
                out[g] = b.threshold
    return out


def score_table(scores: dict[str, float] | None, thresholds: dict[str, float], t: float) -> Any:
    """A rich table: each face gesture's score as a bar, its threshold and whether it is reached."""
    from rich.table import Table

    table = Table(title=f"face scores at {t:5.1f} s (neutral face = 0)")
    for col, just in (("gesture", "left"), ("score", "left"), ("", "right"), ("threshold", "right"), ("", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for name in FACE_GESTURES:
        if scores is None:
            table.add_row(name, "no face", "", f"{thresholds[name]:.2f}", "")
            continue
        v = scores[name]
        bar = "█" * int(round(v * 20))
        mark = int(round(thresholds[name] * 20))
        cells = list(bar.ljust(20, "·"))
        cells[min(mark, 19)] = "|"
        reached = v >= thresholds[name]
        table.add_row(name, "".join(cells), f"{v:.2f}", f"{thresholds[name]:.2f}", "[bold green]✓ reached[/]" if reached else "")
    return table


def cmd_calibrate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.live import Live

    from streamkit.config import load

    from .enrol import NeutralCapture

    config = load(args.config) if args.config else None
    thresholds = face_thresholds(config)
    obs = None
    if args.obs_source:
        from streamkit.obs.client import ObsClient
        from streamkit.obs.doctor import connection_params

        url, password, timeout, _ = connection_params(args)
        obs = ObsClient(url, password, timeout=timeout)
        obs.connect(timeout=10)
    console = Console()
    source = open_video_source(camera=args.camera, video=args.video, obs_source=args.obs_source, obs=obs,
                               fps=15, realtime=bool(args.video) and not args.fast)
    capture = NeutralCapture()
    target = Path(args.neutral).expanduser() if args.neutral else None
    neutral: NeutralFace | None = None
    start: float | None = None
    watched_from: float | None = None
    console.print("Relax your face and look at the camera… / 请放松面部，看向摄像头……")
    try:
        with FaceTracker(mode="video") as tracker, Live(score_table(None, thresholds, 0.0), console=console,
                                                         refresh_per_second=8, transient=False) as live:
            for t, image in frames(source):
                start = t if start is None else start
                face = tracker.detect(image, t)
                if neutral is None:
                    capture.take(image, face)
                    if t - start >= args.seconds and capture.faces:
                        neutral = capture.save(target)
                        watched_from = t
                    continue
                live.update(score_table(neutral.apply(face) if face is not None else None, thresholds, t))
                if args.watch and watched_from is not None and t - watched_from >= args.watch:
                    break
    except KeyboardInterrupt:
        pass
    finally:
        if obs is not None:
            obs.close()
    if neutral is None:
        if not capture.faces:
            raise SourceError("no face was seen, so no neutral face was recorded", "face the camera in good light and try again")
        neutral = capture.save(target)
    console.print()
    console.print(f"neutral face saved to {neutral.path} ({len(capture.faces)} frames): "
                  + ", ".join(f"{k} {v:.2f}" for k, v in neutral.scores.items()) + f", roll {neutral.roll:.1f}°")
    return 0


# ---------------------------------------------------------------- signs


def cmd_signs(args: argparse.Namespace) -> int:
    print("built-in hand signs:")
    for name, what in BUILTIN_SIGNS.items():
        print(f"  {name:<16} {what}")
    print("face gestures:")
    for name, what in FACE_GESTURES.items():
        print(f"  {name:<16} {what} (threshold {FACE_THRESHOLDS[name]})")
    profile = load_profile(args.profile)
    if profile is None:
        print(f"personal signs: none yet ({default_profile_path()}); add one with: streamkit gestures enroll NAME --camera")
    else:
        print(f"personal signs ({profile.path}, threshold {profile.threshold}):")
        for name, samples in profile.signs.items():
            print(f"  {name:<16} {len(samples)} sample(s)")
        if profile.rest:
            print(f"  {'(rest)':<16} {len(profile.rest)} sample(s) of your resting hands: they never fire a sign")
        else:
            print("  no rest samples: record your resting hands with: streamkit gestures enroll rest --camera")
    return 0


__all__ = ["add_parser", "classify_images", "confusion", "NONE"]

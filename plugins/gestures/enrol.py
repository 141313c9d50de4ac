"""Taking samples of a sign, of the resting hands and of the neutral face: one way for the CLI and the panel.

Every sample is checked before it is kept (:func:`check_sample`): no hand in view, a picture too
dark, a hand cut off by the edge of the picture, a hand too small (too far from the camera). The
verdict is one plain sentence in the streamer's language, which ``streamkit gestures enroll``
prints and the panel shows and announces. :class:`SignCapture` collects the samples of one sign
(or of :data:`~.profile.REST`, the relaxed hands) and writes them into the profile;
:class:`NeutralCapture` does the same for the neutral face (``neutral.json``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from streamkit.errors import SourceError
from streamkit.events import say

from .face import Face, NeutralFace
from .hands import Hand, HandTracker
from .profile import MIN_SAMPLES, REST, SignProfile, check_sign_name, choose_sample_hands

#: Mean grey level (0–255) under which a picture is too dark to trust.
DARK_BELOW = 60.0
#: A hand whose longer side is under this share of the picture's shorter side is too far away.
SMALL_BELOW = 0.08
#: Landmarks closer than this share of the picture's size to an edge mean the hand is cut off.
EDGE_MARGIN = 0.01
#: Frames of a relaxed face that make a neutral face.
NEUTRAL_FRAMES = 10


class SampleProblem(enum.StrEnum):
    """Why a sample was not kept."""

    NO_HAND = "no_hand"
    TOO_DARK = "too_dark"
    CUT_OFF = "cut_off"
    TOO_SMALL = "too_small"
    NO_FACE = "no_face"


#: One plain sentence per problem: what is wrong and what to do (zh-CN, en).
PROBLEM_TEXT: dict[SampleProblem, tuple[str, str]] = {
    SampleProblem.NO_HAND: ("没有看到手：请把整只手放到摄像头前。",
                            "No hand found: hold your whole hand in front of the camera."),
    SampleProblem.TOO_DARK: ("画面太暗：请打开灯或面向窗户，再试一次。",
                             "Too dark: turn on a light or face a window, then try again."),
    SampleProblem.CUT_OFF: ("手被画面边缘切掉了：请把手移到画面中间。",
                            "Your hand is cut off at the edge of the picture: move it towards the middle."),
    SampleProblem.TOO_SMALL: ("手太小，离摄像头太远：请把手靠近摄像头。",
                              "Your hand is too small, too far from the camera: bring it closer."),
    SampleProblem.NO_FACE: ("没有看到脸：请正对摄像头，保持光线充足。",
                            "No face found: face the camera in good light."),
}


def brightness(image: np.ndarray) -> float:
    """Mean grey level of a BGR picture (0 black … 255 white)."""
    return float(np.asarray(image, dtype=np.float32).mean())


def hand_problem(hand: Hand, width: int, height: int) -> SampleProblem | None:
    """Cut off (a landmark at the edge) or too small; None for a usable hand."""
    xy = hand.landmarks[:, :2]
    mx, my = EDGE_MARGIN * width, EDGE_MARGIN * height
    if (xy[:, 0] < mx).any() or (xy[:, 0] > width - 1 - mx).any() or (xy[:, 1] < my).any() or (xy[:, 1] > height - 1 - my).any():
        return SampleProblem.CUT_OFF
    if hand.size < SMALL_BELOW * min(width, height):
        return SampleProblem.TOO_SMALL
    return None


@dataclass(frozen=True)
class SampleCheck:
    """The verdict on one picture: the usable hands, or the problem that kept it from being a sample."""

    problem: SampleProblem | None
    hands: tuple[np.ndarray, ...] = ()
    brightness: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self, language: str) -> str:
        """The problem in one sentence, or that the sample was taken."""
        if self.problem is not None:
            zh, en = PROBLEM_TEXT[self.problem]
            return say(language, zh, en)
        n = len(self.hands)
        zh_count = {0: "脸", 1: "一只手", 2: "两只手"}.get(n, f"{n} 只手")
        en_count = {0: "your face", 1: "one hand"}.get(n, f"{n} hands")
        return say(language, f"好的，看到{zh_count}。", f"Good: {en_count} seen.")


def check_sample(image: np.ndarray, hands: list[Hand], *, rest: bool = False) -> SampleCheck:
    """Judge one picture as a sample. For a sign, hands cut off or too small are not used; for the
    resting hands (``rest``) every hand counts, however it is seen — that is how a session sees them."""
    height, width = image.shape[:2]
    light = brightness(image)
    usable = [h for h in hands if rest or hand_problem(h, width, height) is None]
    if usable:
        return SampleCheck(None, tuple(h.landmarks for h in usable), light)
    if light < DARK_BELOW:
        return SampleCheck(SampleProblem.TOO_DARK, (), light)
    if not hands:
        return SampleCheck(SampleProblem.NO_HAND, (), light)
    biggest = max(hands, key=lambda h: h.size)
    return SampleCheck(hand_problem(biggest, width, height), (), light)


def sample_tracker() -> HandTracker:
    """The hand tracker for samples: each picture on its own, small hands looked at again, two hands."""
    return HandTracker(mode="image", max_hands=2, min_detection=0.3, refine=True)


@dataclass(frozen=True)
class EnrolResult:
    """What enrolling wrote, and the self-check of the sign against its own samples."""

    name: str
    samples: int
    path: Path
    checked: int = 0
    recognised: int = 0
    misread: tuple[tuple[str, str], ...] = ()  # (sample of, read as)

    def summary(self, language: str) -> str:
        """One sentence: saved, how many samples, and how many the self-check recognised."""
        if self.name == REST:
            return say(language, f"已保存 {self.samples} 个休息姿势样本，休息的手不会触发手势。",
                       f"Saved {self.samples} rest samples: resting hands will not fire a sign.")
        check = (say(language, f"自检：{self.recognised}/{self.checked} 个样本认得出。",
                     f" Self-check: {self.recognised} of {self.checked} samples recognised.") if self.checked else "")
        return say(language, f"已保存手势 {self.name}（{self.samples} 个样本）。", f"Saved sign {self.name} ({self.samples} samples).") + check

    def warnings(self, language: str) -> list[str]:
        """Too few samples; samples that read as another sign or as resting hands."""
        out: list[str] = []
        if self.name != REST and self.samples < MIN_SAMPLES:
            out.append(say(language, f"样本少于 {MIN_SAMPLES} 个，识别会不稳定：请再录几次。",
                           f"Fewer than {MIN_SAMPLES} samples make recognition unreliable: record a few more."))
        for truth, got in self.misread:
            if got == REST:
                out.append(say(language, f"{truth} 的一个样本像休息时的手：请换一个更明显的手势。",
                               f"A sample of {truth} looks like your resting hands: choose a clearer sign."))
            else:
                out.append(say(language, f"{truth} 的一个样本被认成了 {got}：请把手势做得更稳定。",
                               f"A sample of {truth} reads as {got}: hold the sign more steadily."))
        return out


@dataclass
class SignCapture:
    """Samples of one sign — or of the resting hands when ``name`` is :data:`~.profile.REST` — taken one by one."""

    name: str
    wanted: int = 5
    taken: list[tuple[np.ndarray, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.name != REST:
            check_sign_name(self.name)

    @property
    def rest(self) -> bool:
        return self.name == REST

    @property
    def done(self) -> bool:
        return len(self.taken) >= self.wanted

    def take(self, image: np.ndarray, hands: list[Hand]) -> SampleCheck:
        """Check one picture and keep it when it is usable."""
        check = check_sample(image, hands, rest=self.rest)
        if check.ok:
            self.taken.append(check.hands)
        return check

    def samples(self) -> list[np.ndarray]:
        """Every resting hand; or, for a sign, the signing hand of each picture (:func:`choose_sample_hands`)."""
        if self.rest:
            return [hand for picture in self.taken for hand in picture]
        return [h for h in choose_sample_hands([list(p) for p in self.taken]) if h is not None]

    def save_to(self, profile: SignProfile, path: Path | None = None, *, replace: bool = True) -> EnrolResult:
        """Write the samples into ``profile`` and save it; the self-check says how well the sign is told apart."""
        samples = self.samples()
        if not samples:
            raise SourceError(f"no usable sample was taken, so '{self.name}' was not saved",
                              "show the hand clearly, in good light, and try again")
        if self.rest:
            profile.set_rest(samples, replace=replace)
        else:
            profile.add(self.name, samples, replace=replace)
        saved = profile.save(path)
        checks = [(truth, m) for truth, m in profile.leave_one_out() if self.rest or truth == self.name]
        misread = tuple((truth, REST if m.resting else m.name) for truth, m in checks if m.name != truth)
        count = len(profile.rest) if self.rest else len(profile.signs[self.name])
        return EnrolResult(self.name, count, saved, len(checks), len(checks) - len(misread), misread)


@dataclass
class NeutralCapture:
    """Frames of the streamer's relaxed face, made into :class:`~.face.NeutralFace` when enough are seen."""

    wanted: int = NEUTRAL_FRAMES
    faces: list[Face] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return len(self.faces) >= self.wanted

    def take(self, image: np.ndarray, face: Face | None) -> SampleCheck:
        """Keep the face of one frame; a frame without one says why (too dark, or no face)."""
        light = brightness(image)
        if face is not None:
            self.faces.append(face)
            return SampleCheck(None, (), light)
        return SampleCheck(SampleProblem.TOO_DARK if light < DARK_BELOW else SampleProblem.NO_FACE, (), light)

    def save(self, path: Path | None = None) -> NeutralFace:
        """The neutral face of the frames taken, saved to ``path`` (default ``STREAMKIT_HOME/gestures/neutral.json``)."""
        neutral = NeutralFace.from_faces(self.faces)
        neutral.save(path)
        return neutral

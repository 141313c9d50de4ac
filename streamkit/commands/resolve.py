"""From "a kind of verb + the words it acts on" to a :class:`Command`, the same for Mandarin and English.

Each language's grammar finds a :class:`Phrase` — 把 **3号** 挂上来 / **pin** number three / **切到** 近景 —
and :class:`Resolver` decides what it means from what the object is: a product number, a product name,
an OBS scene or source, or a feature word (the microphone, the recording, the stream, gestures, the
card). "关掉" switches a picture source off but mutes a sound source; "打开" turns the microphone on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from streamkit.text import has_cjk

from .model import Command, CommandAction, Language
from .names import NameMatch, NameMatcher, TargetMatcher
from .vocabulary import Vocabulary

A = CommandAction


class Family(StrEnum):
    """Kinds of verbs: what a verb can do depends on its object."""

    SHOW_STRONG = "show_strong"  # 上链接, "drop the link": a bare number is a product
    SHOW = "show"                # 上一下, 挂, 弹, 显示, 打开, pin, show, turn on
    HIDE = "hide"                # 收起来, 关掉, 隐藏, hide, take down, turn off
    SCENE = "scene"              # 切到, 换到, switch to, go to
    MUTE = "mute"
    UNMUTE = "unmute"
    START = "start"              # 开始, 开启, start
    STOP = "stop"                # 停止, 结束, stop, end
    PAUSE = "pause"              # 暂停, disable
    RESUME = "resume"            # 恢复, 继续, enable


class Feature(StrEnum):
    """Objects that are words of streamkit itself rather than names."""

    MIC = "mic"
    RECORD = "record"
    STREAM = "stream"
    TRIGGERS = "triggers"
    CARD = "card"


@dataclass(frozen=True)
class Phrase:
    """A verb family and its object, as a language grammar found them.

    ``closed``: nothing said later could change it (a 号 after the number, a particle or "please" after
    the command). ``explicit_scene``: the words said 场景 / 画面 / "scene"; ``whole`` is then the object
    with those words kept (a scene may be called 主画面)."""

    family: Family
    obj: str = ""
    feature: Feature | None = None
    serial: int | None = None
    marked: bool = False
    explicit_scene: bool = False
    closed: bool = False
    language: Language = ""
    matched: str = ""
    whole: str = ""


_FEATURE_ACTIONS: dict[Feature, dict[Family, CommandAction]] = {
    Feature.MIC: {Family.MUTE: A.MUTE, Family.HIDE: A.MUTE, Family.UNMUTE: A.UNMUTE, Family.SHOW: A.UNMUTE,
                  Family.RESUME: A.UNMUTE},
    Feature.RECORD: {Family.START: A.RECORD_START, Family.SHOW: A.RECORD_START, Family.STOP: A.RECORD_STOP,
                     Family.HIDE: A.RECORD_STOP},
    Feature.STREAM: {Family.START: A.STREAM_START, Family.STOP: A.STREAM_STOP, Family.HIDE: A.STREAM_STOP},
    Feature.TRIGGERS: {Family.PAUSE: A.PAUSE_TRIGGERS, Family.STOP: A.PAUSE_TRIGGERS, Family.HIDE: A.PAUSE_TRIGGERS,
                       Family.RESUME: A.RESUME_TRIGGERS, Family.START: A.RESUME_TRIGGERS,
                       Family.SHOW: A.RESUME_TRIGGERS},
    Feature.CARD: {Family.HIDE: A.HIDE},
}


class Resolver:
    """Turns a :class:`Phrase` into a command against one :class:`Vocabulary`."""

    def __init__(self, vocabulary: Vocabulary, name_threshold: float = 0.8) -> None:
        self.vocabulary = vocabulary
        self.products = NameMatcher(vocabulary.products, threshold=name_threshold)
        self.scenes = TargetMatcher(vocabulary.scenes, vocabulary.aliases_for("scene"), threshold=name_threshold)
        self.sources = TargetMatcher(vocabulary.sources, vocabulary.aliases_for("source"), threshold=name_threshold)

    def resolve(self, p: Phrase) -> Command | None:
        """The command ``p`` gives, or None when its object makes no sense for its verb."""
        if p.family is Family.SCENE and p.whole:  # "switch to scene 2": a scene named "Scene 2"
            match = self.scenes.match(p.whole)
            if match is not None:
                return self._scene_command(p, match)
        if p.feature is not None:
            return self._feature(p, p.feature)
        if p.serial is not None:
            return self._product_number(p)
        if not p.obj:
            return self._bare(p)
        return self._named(p)

    def _command(self, p: Phrase, action: CommandAction, *, target: str | None = None, product: int | None = None,
                 confidence: float = 0.95, complete: bool | None = None, spoken: str = "") -> Command:
        return Command(action, target=target, product=product, confidence=round(confidence, 3),
                       complete=p.closed if complete is None else complete, language=p.language, matched=p.matched,
                       spoken_target=spoken)

    def _feature(self, p: Phrase, feature: Feature) -> Command | None:
        action = _FEATURE_ACTIONS[feature].get(p.family)
        if action is None:
            return None
        if feature is Feature.MIC:
            return self._microphone(p, action)
        return self._command(p, action, complete=p.closed or feature is Feature.CARD)

    def _microphone(self, p: Phrase, action: CommandAction) -> Command:
        spoken = p.obj if p.feature is Feature.MIC and p.obj else ("麦克风" if p.language == "zh" else "mic")
        return self._command(p, action, target=self.vocabulary.microphone_source(), spoken=spoken)

    def _product_number(self, p: Phrase) -> Command | None:
        if p.family is Family.SHOW_STRONG or (p.marked and p.family in (Family.SHOW, Family.SCENE)):
            return self._command(p, A.SHOW, product=p.serial, confidence=0.95)
        if p.marked and p.family is Family.HIDE:
            return self._command(p, A.HIDE, complete=True)
        return None

    def _bare(self, p: Phrase) -> Command | None:
        if p.family in (Family.MUTE, Family.UNMUTE):
            return self._microphone(p, A.MUTE if p.family is Family.MUTE else A.UNMUTE)
        if p.family is Family.HIDE:
            return self._command(p, A.HIDE, confidence=0.9)
        return None

    def _named(self, p: Phrase) -> Command | None:
        if p.family is Family.SCENE:
            return self._scene(p)
        product = self.products.match(p.obj)
        source = self.sources.match(p.obj) if p.family is not Family.SHOW_STRONG else None
        if source is not None and (product is None or (source.score, source.exact) >= (product.score, product.exact)):
            return self._source(p, source)
        if product is not None and p.family in (Family.SHOW, Family.SHOW_STRONG, Family.HIDE):
            return self._product_name(p, product)
        return None

    def _product_name(self, p: Phrase, match: NameMatch) -> Command:
        if p.family is Family.HIDE:
            return self._command(p, A.HIDE, confidence=0.9, complete=True)
        complete = p.closed or p.language == "zh"
        return self._command(p, A.SHOW, product=int(match.key), confidence=0.95 * match.score, complete=complete)

    def _source(self, p: Phrase, match: NameMatch) -> Command | None:
        name = str(match.key)
        audio = self.vocabulary.is_audio(name)
        action = {Family.MUTE: A.MUTE, Family.UNMUTE: A.UNMUTE,
                  Family.SHOW: A.UNMUTE if audio else A.SHOW_SOURCE,
                  Family.RESUME: A.UNMUTE if audio else None,
                  Family.HIDE: A.MUTE if audio else A.HIDE_SOURCE}.get(p.family)
        if action is None:
            return None
        return self._command(p, action, target=name, confidence=0.95 * match.score, complete=p.closed or match.exact,
                             spoken=p.obj)

    def _scene_command(self, p: Phrase, match: NameMatch) -> Command:
        return self._command(p, A.SCENE, target=str(match.key), confidence=0.95 * match.score,
                             complete=p.closed or match.exact, spoken=p.whole or p.obj)

    def _scene(self, p: Phrase) -> Command | None:
        match = self.scenes.match(p.obj)
        if match is not None:
            return self._scene_command(p, match)
        product = self.products.match(p.obj)
        if product is not None:
            return self._product_name(p, product)
        if p.explicit_scene and _name_like(p.obj):  # "切换场景到游戏": a scene OBS does not have
            return self._command(p, A.SCENE, confidence=0.8, spoken=p.obj)
        return None


def _name_like(words: str) -> bool:
    """Short enough to be a scene's name (切一下镜头给大家看看背面 is a sentence, not a name)."""
    return 0 < (len(words) if has_cjk(words) else len(words.split())) <= (6 if has_cjk(words) else 3)

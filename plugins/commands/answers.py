"""What streamkit answers a voice command with, aloud and on screen, in Mandarin (zh-CN) or English."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streamkit.commands import CommandAction
from streamkit.events import is_english, say

A = CommandAction

ACTION_WORDS: dict[CommandAction, tuple[str, str]] = {
    A.RECORD_START: ("开始录制", "start recording"), A.RECORD_STOP: ("停止录制", "stop recording"),
    A.STREAM_START: ("开始直播", "start streaming"), A.STREAM_STOP: ("结束直播", "stop streaming"),
}


def listing(names: Sequence[str], language: str, limit: int = 8) -> str:
    """``A、B、C`` / ``A, B and C`` (at most ``limit`` names, then 等 / "and N more")."""
    shown = list(names[:limit])
    more = len(names) - len(shown)
    if not is_english(language):
        return "、".join(shown) + (f" 等 {len(names)} 个" if more else "")
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def unknown_target(kind: str, spoken: str, names: Sequence[str], language: str) -> str:
    """"no scene called X; the scenes are …" (or sources)."""
    what_zh, what_en = ("场景", "scene") if kind == "scene" else ("来源", "source")
    if not names:
        return say(language, f"没有叫“{spoken}”的{what_zh}，OBS 里还没有{what_zh}。",
                   f"No {what_en} called {spoken}; OBS has no {what_en}s yet.")
    return say(language, f"没有叫“{spoken}”的{what_zh}。{what_zh}有：{listing(names, language)}。",
               f"No {what_en} called {spoken}; the {what_en}s are {listing(names, language)}.")


def no_microphone(language: str) -> str:
    return say(language, "没有找到麦克风输入。请在 [commands] microphone 里写上它在 OBS 里的名字。",
               "No microphone input found; set [commands] microphone to its OBS name.")


def source_done(action: CommandAction, target: str, language: str) -> str:
    """Mute / unmute / show / hide done."""
    zh = {A.MUTE: f"已静音：{target}。", A.UNMUTE: f"已打开声音：{target}。",
          A.SHOW_SOURCE: f"已显示：{target}。", A.HIDE_SOURCE: f"已隐藏：{target}。"}
    en = {A.MUTE: f"Muted {target}.", A.UNMUTE: f"Unmuted {target}.",
          A.SHOW_SOURCE: f"Showing {target}.", A.HIDE_SOURCE: f"Hid {target}."}
    return say(language, zh[action], en[action])


def action_words(action: CommandAction, language: str) -> str:
    zh, en = ACTION_WORDS[action]
    return say(language, zh, en)


def confirm_prompt(action: CommandAction, seconds: float, language: str) -> str:
    s = f"{seconds:g}"
    return say(language, f"要{action_words(action, language)}吗？{s} 秒内说“确认”，或说“取消”。",
               f"{action_words(action, language).capitalize()}? Say confirm within {s} seconds, or cancel.")


def cancelled(action: CommandAction, reason: str, language: str) -> str:
    what = action_words(action, language)
    if reason == "timeout":
        return say(language, f"没有听到确认，已取消{what}。", f"No confirmation heard; {what} cancelled.")
    return say(language, f"已取消{what}。", f"Cancelled: {what}.")


def not_understood(language: str) -> str:
    return say(language, "没听懂，请再说一遍。", "Sorry, I did not understand that.")


def feature_off(what_zh: str, what_en: str, language: str) -> str:
    return say(language, f"{what_zh}没有开启。", f"{what_en} is off in this session.")


def obs_failed(problem: str, language: str) -> str:
    return say(language, f"OBS 没有完成：{problem}", f"OBS did not do it: {problem}")


@dataclass(frozen=True)
class StatusFacts:
    """What "status" reads back."""

    scene: str = ""
    muted: tuple[str, ...] = ()
    recording: bool | None = None
    streaming: bool | None = None
    card: str = ""
    gestures_paused: bool | None = None
    obs_connected: bool = True


def status_sentence(facts: StatusFacts, language: str) -> str:
    """One sentence per fact, in the order a streamer asks for them."""
    if not facts.obs_connected:
        parts = [say(language, "OBS 没有连接。", "OBS is not connected.")]
    else:
        parts = [say(language, f"当前场景：{facts.scene or '未知'}。", f"Scene: {facts.scene or 'unknown'}.")]
        if facts.muted:
            parts.append(say(language, f"已静音：{listing(facts.muted, language)}。",
                             f"Muted: {listing(facts.muted, language)}."))
        else:
            parts.append(say(language, "没有静音的声音。", "Nothing is muted."))
        if facts.recording is not None:
            parts.append(say(language, "正在录制。", "Recording.") if facts.recording
                         else say(language, "没有录制。", "Not recording."))
        if facts.streaming:
            parts.append(say(language, "正在直播。", "Live."))
    parts.append(say(language, f"商品卡：{facts.card}。", f"Card: {facts.card}.") if facts.card
                 else say(language, "没有商品卡。", "No card on screen."))
    if facts.gestures_paused:
        parts.append(say(language, "手势已暂停。", "Gestures paused."))
    return " ".join(parts) if is_english(language) else "".join(parts)

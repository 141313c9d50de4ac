"""The panel's words in Simplified Chinese (the default) and English.

Each person reads the panel in their own language (cookie ``sk_lang``); before they choose, the
config's ``[session] language`` decides, and that is ``zh-CN`` unless set otherwise.
"""

from __future__ import annotations

from .messages import FEATURES, FIGURES, REASONS, STRINGS, VALUES

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
LANG_COOKIE = "sk_lang"


def pick_language(chosen: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """``chosen`` when it is a language the panel speaks, else ``fallback`` (else zh-CN)."""
    if chosen in LANGUAGES:
        return str(chosen)
    return fallback if fallback in LANGUAGES else DEFAULT_LANGUAGE


class Translator:
    """``t("key", name=value)`` → the sentence in this language; a missing key shows as itself."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        texts = STRINGS.get(key)
        if texts is None:
            return key
        text = texts.get(self.lang) or texts["en"]
        return text.format(**values) if values else text

    def feature(self, name: str) -> str:
        """A feature's (component's) name for people."""
        return FEATURES.get(name, {}).get(self.lang, name)

    def figure(self, key: str) -> str:
        """A status figure's label."""
        return FIGURES.get(key, {}).get(self.lang, key.replace("_", " "))

    def value(self, value: str) -> str:
        """A figure's value: yes/no in words of this language, anything else as it is."""
        return VALUES.get(value, {}).get(self.lang, value)

    def reason(self, reason: str) -> str:
        """Why a session ended, in words."""
        return REASONS.get(reason, {}).get(self.lang, reason)

    def choice(self, choice: str) -> str:
        """A device choice of the wizard (``device:NAME``, ``camera:N``, ``obs``, ``sample``, ``none``) in words."""
        if choice.startswith("device:"):
            return choice.removeprefix("device:") or self("default_device")
        if choice.startswith("camera:"):
            return self("camera_n", n=choice.removeprefix("camera:"))
        return self(f"choice_{choice or 'unset'}")

    def scripts(self) -> dict[str, str]:
        """The sentences the pages' scripts need (keys ``js_*``)."""
        return {key: self(key) for key in STRINGS if key.startswith("js_")}

    def join(self, items: tuple[str, ...] | list[str]) -> str:
        """A list in running text: 字幕、商品卡 / captions, product card."""
        return ("、" if self.lang == "zh-CN" else ", ").join(items)


def translator(lang: str) -> Translator:
    return Translator(pick_language(lang))

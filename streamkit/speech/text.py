"""Text before speech: clauses to synthesise one after another, and which language each run is.

Speech starts sooner when the first clause is synthesised (and heard) while the rest is still being
made, so :func:`split_clauses` cuts a phrase after Chinese and English punctuation — never inside a
number such as ``49.9`` or ``3,000``. :func:`language_runs` tells Mandarin from English inside one
phrase ("点击 yellow cart 下单"); digits and punctuation belong to the run they follow.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

__all__ = [
    "Language",
    "dominant_language",
    "language_runs",
    "normalize_phrase",
    "pause_after",
    "split_clauses",
]

Language = Literal["zh", "en"]

#: A clause ends after these (and any closing quotes); ``. , :`` only before a space or the end
#: (not in 49.9 or 3,000).
_CLOSERS = "”’\"'）)」』】"
_CLAUSE = re.compile(rf"[^\n]+?(?:[。！？；，、：…!?;]+[{_CLOSERS}]*|[.,:]+[{_CLOSERS}]*(?=\s|$)|$)")
_SENTENCE_END = set("。！？!?.…")
_CLAUSE_END = set("，、；：,;:")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")

#: Silence after a clause, by its last punctuation (seconds): what a speaker pauses.
SENTENCE_PAUSE = 0.25
CLAUSE_PAUSE = 0.12


def _speakable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def split_clauses(text: str) -> list[str]:
    """``"欢迎来到直播间，三号蜂蜜49.9元！"`` → ``["欢迎来到直播间，", "三号蜂蜜49.9元！"]``.

    Whitespace is collapsed; a piece without letters, digits or characters (a closing quote, "……")
    stays with the clause before it.
    """
    clauses: list[str] = []
    for piece in _CLAUSE.findall(" ".join(text.split())):
        piece = piece.strip()
        if not piece:
            continue
        if clauses and not _speakable(piece):
            clauses[-1] += piece
        elif clauses and not _speakable(clauses[-1]):
            clauses[-1] += piece
        else:
            clauses.append(piece)
    return clauses


def pause_after(clause: str) -> float:
    """Seconds of silence after ``clause``: longer after a sentence, shorter after a comma."""
    tail = clause.rstrip(_CLOSERS + " ")
    if not tail:
        return 0.0
    if tail[-1] in _SENTENCE_END:
        return SENTENCE_PAUSE
    if tail[-1] in _CLAUSE_END:
        return CLAUSE_PAUSE
    return 0.0


def _char_language(ch: str) -> Language | None:
    if _CJK.match(ch):
        return "zh"
    if ch.isascii() and ch.isalpha():
        return "en"
    return None


def language_runs(text: str, default: Language = "zh") -> list[tuple[Language, str]]:
    """Split ``text`` into ``(language, run)``: Han characters are Mandarin, Latin letters English.

    Digits, spaces and punctuation join the run before them (the first run when they lead), so
    "3号" stays Mandarin (三号) and "product 3" stays English. Text with neither is ``default``.
    """
    runs: list[tuple[Language, str]] = []
    pending = ""
    for ch in text:
        lang = _char_language(ch)
        if lang is None:
            if runs:
                runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            else:
                pending += ch
            continue
        if runs and runs[-1][0] == lang:
            runs[-1] = (lang, runs[-1][1] + ch)
        else:
            runs.append((lang, pending + ch))
            pending = ""
    if pending:
        runs.append((default, pending))
    return [(lang, run.strip()) for lang, run in runs if run.strip()]


def dominant_language(text: str, default: Language = "zh") -> Language:
    """The language most of ``text`` is in: Han characters against English words (a tie is Mandarin)."""
    han = len(_CJK.findall(text))
    words = len(_LATIN_WORD.findall(text))
    if not han and not words:
        return default
    return "en" if words > han else "zh"


def normalize_phrase(text: str) -> str:
    """The form two requests are compared in: case, width, spaces and punctuation ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())

"""Helpers shared by the voice-command tests and benchmarks/commands.py: the phrasing tables, their
vocabulary, scoring, and the real speech clips (with reference transcripts) that must never fire."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from streamkit.commands import CommandParser, Vocabulary
from streamkit.commands.detector import CommandDetector
from streamkit.events import Caption
from streamkit.text import has_cjk
from streamkit.plugins.products.catalog import load_catalog
from streamkit.testing.data import shared_data

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
#: every phrasing table: (table, split) → file. "legacy" is the products plugin's original table.
TABLES: dict[tuple[str, str], Path] = {
    ("products", "legacy"): REPO / "tests" / "products" / "phrasings.toml",
    ("products", "tuned"): HERE / "phrasings_products_tuned.toml",
    ("products", "held-out"): HERE / "phrasings_products_heldout.toml",
    ("obs", "tuned"): HERE / "phrasings_obs_tuned.toml",
    ("obs", "held-out"): HERE / "phrasings_obs_heldout.toml",
}


def load_toml(path: Path) -> dict[str, Any]:
    with open(path, "rb") as f:
        return tomllib.load(f)


def table_vocabulary() -> Vocabulary:
    """tests/commands/vocabulary.toml: a seller's OBS scenes and sources, aliases, the sample catalog."""
    v = load_toml(HERE / "vocabulary.toml")
    catalog = load_catalog(REPO / v["catalog"])
    return Vocabulary(scenes=tuple(v["scenes"]), sources=tuple(v["sources"]), aliases=dict(v["aliases"]),
                      products=catalog.product_names())


def table_parser() -> CommandParser:
    return CommandParser(table_vocabulary())


def expected(case: dict[str, Any]) -> tuple[str | None, str | None, int | None, int | None]:
    """A table row as a :attr:`Command.key` (the legacy table names the action ``command``)."""
    return (case.get("action", case.get("command")), case.get("target"), case.get("product"), case.get("seconds"))


@dataclass
class Score:
    """How one table parsed: commands right, non-commands that fired (false activations), what went wrong."""

    commands: int = 0
    commands_right: int = 0
    non_commands: int = 0
    false_activations: int = 0
    wrong: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        total = self.commands + self.non_commands
        return (self.commands_right + self.non_commands - self.false_activations) / total if total else 1.0


def score_table(parser: CommandParser, path: Path) -> Score:
    """Parse every row of a table."""
    table, score = load_toml(path), Score()
    for case in table.get("command", []):
        got = parser.parse(case["text"]).key
        score.commands += 1
        if got == expected(case):
            score.commands_right += 1
        else:
            score.wrong.append({"text": case["text"], "expected": list(expected(case)), "got": list(got)})
    for case in table.get("non_command", []):
        got = parser.parse(case["text"])
        score.non_commands += 1
        if got.action is not None:
            score.false_activations += 1
            score.wrong.append({"text": case["text"], "expected": None, "got": list(got.key), "why": case["why"]})
    return score


# --- prefixes: what partial captions show before the sentence is whole ------------------------------
def prefixes(text: str) -> list[str]:
    """The growing beginnings of ``text`` as partial captions show them: by character for Chinese,
    by word for English (the whole text last)."""
    if has_cjk(text):
        return [text[:n] for n in range(1, len(text) + 1) if text[n - 1].strip()]
    words = text.split()
    return [" ".join(words[:n]) for n in range(1, len(words) + 1)]


def partial_caption(text: str, utterance: int) -> Caption:
    """A partial caption of the microphone, as streaming recognition publishes one."""
    return Caption(kind="partial", text=text, source="mic", speaker="", audio_start=0.0, audio_end=1.0, emitted_at=1.0,
                   language="zh" if has_cjk(text) else "en", utterance=utterance)


def _gives(whole: list[Any], key: tuple[Any, ...]) -> bool:
    """The whole sentence's commands do what ``key`` does (a flash sale on product N also shows N)."""
    shows_in_flash = {("show", None, c.product, None) for c in whole
                      if c.action is not None and c.action.value == "flash_sale" and c.product is not None}
    return key in {c.key for c in whole} or key in shows_in_flash


def early_commands(parser: CommandParser, text: str) -> list[tuple[str, str, Any]]:
    """Commands the detector fires from a beginning of ``text`` that the whole of ``text`` does not give.

    Two ways partial captions arrive: ``"prefix"`` — each beginning alone as one partial (what the
    detector fires at once: ``complete`` commands); ``"growing"`` — the beginnings one after another in
    one utterance (adds "two partials in a row agree"). Each row: (how, the beginning, the command key)."""
    whole = [c for c in parser.parse_all(text) if c.action]
    early: list[tuple[str, str, Any]] = []
    for n, beginning in enumerate(prefixes(text)):
        fired: list[Any] = []
        CommandDetector(lambda: parser, lambda c, t: fired.append(c.key)).on_caption(partial_caption(beginning, n + 1))
        early += [("prefix", beginning, key) for key in fired if not _gives(whole, key)]
    growing: list[tuple[str, Any]] = []
    detector = CommandDetector(lambda: parser, lambda c, t: growing.append((t, c.key)))
    for beginning in prefixes(text):
        detector.on_caption(partial_caption(beginning, 1))
    early += [("growing", said, key) for said, key in growing if not _gives(whole, key)]
    return early


def prefix_false_activations(parser: CommandParser, path: Path) -> list[dict[str, Any]]:
    """Every command and non-command row of a table fed as growing partial captions: the rows where a
    beginning fires a command that the whole row does not give (each would be a false activation), with
    the first such beginning and what it fired."""
    table = load_toml(path)
    rows = [c["text"] for key in ("command", "non_command") for c in table.get(key, [])]
    out = []
    for text in rows:
        early = early_commands(parser, text)
        if early:
            how, said, key = min(early, key=lambda e: len(e[1]))
            out.append({"text": text, "partial": said, "fired": list(key), "how": sorted({e[0] for e in early})})
    return out


# --- real speech ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpeechClip:
    """A real recording of ordinary speech, its language (zh or en) and its reference transcript."""

    wav: Path
    language: str
    reference: str


def speech_clips() -> list[SpeechClip]:
    """Every speech recording in samples/media/speech and the shared data (en, zh, zh-more), each once
    (the samples repeat some of the shared recordings)."""
    clips, seen = [], set()
    shared = shared_data()
    roots = [REPO / "samples" / "media" / "speech"] + ([shared / "speech"] if shared is not None else [])
    for root in roots:
        for wav in sorted(root.glob("*/*.wav")):
            if (wav.name, wav.stat().st_size) in seen:
                continue
            seen.add((wav.name, wav.stat().st_size))
            txt = wav.with_suffix(".txt")
            reference = txt.read_text(encoding="utf-8").strip() if txt.exists() else ""
            clips.append(SpeechClip(wav, "en" if wav.parent.name == "en" else "zh", reference))
    return clips

"""One grammar for every voice command: product cards, OBS scenes, audio and sources, recording and
streaming, gesture triggers, status and the confirmation step — Mandarin and English.

``CommandParser(vocabulary).parse("切到近景")`` → ``Command(action=SCENE, target="近景特写", …)``.

Rules, not a model: every command has an explicit verb-and-object shape, so ordinary talk does not fire.
The text is cut into clauses (sentences, and the comma clauses of Chinese sentences); a verb left alone
before a pause takes the object after it ("上链接，三号"). Each clause is parsed by the Mandarin or the
English grammar; a question cancels the command in it (except "what's the status?"). A show followed
by a flash sale becomes one flash sale on that product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from streamkit.text import has_cjk

from .en_grammar import EnGrammar
from .model import Command, CommandAction, no_command
from .resolve import Resolver
from .text import fix_english_homophones, normalise, syllables
from .vocabulary import Vocabulary
from .zh_grammar import ZhGrammar

A = CommandAction


@dataclass
class Clause:
    """A piece of an utterance parsed on its own; ``question`` when it ended with a question mark."""

    text: str
    question: bool = False


class CommandParser:
    """Parses caption text into :class:`Command` objects against one :class:`Vocabulary`."""

    def __init__(self, vocabulary: Vocabulary, *, wake_word: str = "", name_threshold: float = 0.8) -> None:
        self.vocabulary = vocabulary
        self.wake_word = normalise(wake_word) if wake_word else ""
        self.resolver = Resolver(vocabulary, name_threshold)
        self.zh = ZhGrammar(self.resolver)
        self.en = EnGrammar(self.resolver)

    def parse(self, text: str) -> Command:
        """The command in ``text``: the last one when there are several (see :meth:`parse_all`)."""
        return self.parse_all(text)[-1]

    def parse_all(self, text: str) -> list[Command]:
        """Every command in ``text``, in order; ``[no_command(reason)]`` when there is none."""
        t = normalise(text)
        if not t:
            return [no_command("empty")]
        if self.wake_word:
            after = self._after_wake_word(t)
            if after is None:
                return [no_command("no wake word")]
            t = after
        parsed = [cmd for clause in self._join_pauses(clauses(fix_english_homophones(t)))
                  for cmd in self._parse_clause(clause)]
        return self._combine(parsed)

    # helpers --------------------------------------------------------------------------------------
    def _after_wake_word(self, t: str) -> str | None:
        """The text after the wake word (or a homophone of it: 小播 ≈ 小波), None without it."""
        ww = self.wake_word
        i = t.find(ww)
        if i >= 0:
            return t[i + len(ww):].lstrip(" ,，、:：")
        if has_cjk(ww):
            n, key = len(ww), syllables(ww)
            for j in range(0, max(0, len(t) - n) + 1):
                if syllables(t[j:j + n]) == key:
                    return t[j + n:].lstrip(" ,，、:：")
        return None

    def _grammar(self, text: str) -> ZhGrammar | EnGrammar:
        return self.zh if has_cjk(text) else self.en

    def _join_pauses(self, pieces: list[Clause]) -> list[Clause]:
        """A verb alone before a pause takes the object after it ("上链接，三号"), or the object before it when
        that was no command alone ("蜂蜜，上链接"); a duration joins the flash sale before it."""
        out: list[Clause] = []
        for clause in pieces:
            prev = out[-1] if out else None
            if prev is not None and not prev.question and self._joins(prev, clause):
                if not self._grammar(prev.text).is_filler(clause.text) or clause.question:
                    sep = "" if has_cjk(prev.text) else " "
                    out[-1] = Clause(prev.text + sep + clause.text, clause.question)
                continue
            out.append(clause)
        return out

    def _joins(self, prev: Clause, clause: Clause) -> bool:
        g = self._grammar(prev.text)
        if g.is_bare_verb(prev.text) or g.continues_flash_sale(prev.text, clause.text):
            return True
        return (g is self._grammar(clause.text) and g.is_bare_verb(clause.text, last=True)
                and g.parse(prev.text).action is None)

    def _parse_clause(self, clause: Clause) -> list[Command]:
        """Commands of one clause; an English sentence with no command as a whole is tried comma by comma."""
        grammar = self._grammar(clause.text)
        cmds = [grammar.parse(clause.text)]
        if not cmds[0].action and grammar is self.en and "," in clause.text:
            cmds = [self.en.parse(p.text) for p in self._join_pauses([Clause(p) for p in clause.text.split(",")])
                    if p.text.strip()] or cmds
        if clause.question and any(c.action and c.action is not A.STATUS for c in cmds):
            return [no_command("a question")]
        return [self._allowed(c) for c in cmds]

    def _allowed(self, cmd: Command) -> Command:
        if cmd.action is not None and cmd.action not in self.vocabulary.actions:
            return no_command(f"{cmd.action.value} is not enabled here")
        return cmd

    @staticmethod
    def _combine(parsed: list[Command]) -> list[Command]:
        """Drop empty results, mark commands followed by more words complete, fold show + flash sale."""
        found: list[Command] = []
        reasons = [c.reason for c in parsed if not c.action and c.reason]
        for i, cmd in enumerate(parsed):
            if not cmd.action:
                continue
            if i < len(parsed) - 1 and not cmd.complete:  # more words came after it
                cmd = replace(cmd, complete=True)
            if cmd.action is A.FLASH_SALE and cmd.product is None and found and found[-1].action is A.SHOW:
                show = found.pop()
                cmd = replace(cmd, product=show.product, confidence=min(cmd.confidence, show.confidence),
                              standalone=False, matched=f"{show.matched} {cmd.matched}")
            found.append(cmd)
        return found or [no_command(reasons[-1] if reasons else "no command words")]


def clauses(t: str) -> list[Clause]:
    """Sentences, and the comma clauses of Chinese sentences.

    English sentences keep their commas (Whisper puts them anywhere: "Next, product.")."""
    parts = re.split(r"([!?;。！？；…\n]+|\.{2,}|\.(?!\d))", t)
    out: list[Clause] = []
    for k in range(0, len(parts), 2):
        sentence = parts[k].strip()
        delim = parts[k + 1] if k + 1 < len(parts) else ""
        question = "?" in delim or "？" in delim
        pieces = re.split(r"[,，、]+", sentence) if has_cjk(sentence) else [sentence]
        out += [Clause(p.strip(), question and i == len(pieces) - 1) for i, p in enumerate(pieces) if p.strip()]
    return out

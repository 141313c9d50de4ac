"""The English grammar: one clause → one :class:`Command`.

Rules, tried in order on a clause prepared by :func:`.en_products.prepare`:

1. the confirmation step and the status readback, only as a whole clause ("confirm", "status report");
2. a clause with a negation, another time, a condition, a question word, a past-tense verb or words to
   viewers is no command ("don't mute me", "you can switch to…", "I dropped the link yesterday");
3. flash sales and next / previous (:mod:`.en_products`);
4. a verb and its object: "switch to close up", "pin number three", "drop the link for the honey",
   "mute the music", "turn the mic back on", "put number six up", "start recording", "go live";
5. "product number three": a command only as a whole utterance.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .en_products import flash_sale, next_or_previous, noun_only, prepare
from .en_words import (BLOCK, CANCEL, CONFIRM, DETERMINERS, FEATURES, FILLERS, FIXED, PARTICLE_FAMILY, POST, REF,
                       SCENE_MARK_HEAD, SCENE_MARK_TAIL, STATUS, VERB_AROUND, VERBS_FIRST)
from .model import Command, CommandAction, no_command
from .resolve import Family, Phrase, Resolver
from .text import EN_ORDINALS

A = CommandAction
_SPLIT = re.compile(rf"^{FILLERS}(?P<body>.*?){POST}$")
_FIRST = sorted(VERBS_FIRST, key=len, reverse=True)


class EnGrammar:
    """Parses English clauses against the names a :class:`Resolver` knows."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def parse(self, clause: str) -> Command:
        """The command in one clause (``no_command`` with a reason when there is none)."""
        t = prepare(clause)
        if not t:
            return no_command("empty")
        closed = self._closed(t)
        if closed is not None:
            return closed
        block = BLOCK.search(t)
        if block:
            return no_command(f"not a command: '{block.group(0)}'")
        names = self.resolver.products.match
        for rule in (lambda: flash_sale(t, names), lambda: next_or_previous(t), lambda: self._verb_object(t),
                     lambda: noun_only(t)):
            cmd = rule()
            if cmd is not None:
                return cmd
        return no_command("no command words")

    def is_bare_verb(self, clause: str, last: bool = False) -> bool:
        """A verb said alone, waiting for its object after a pause ("pin… number three"); with ``last``,
        "pin it" after its object ("number three, pin it")."""
        m = _SPLIT.match(prepare(clause))
        if last:
            return m is not None and m["body"] in ("pin it", "show it", "drop it")
        return m is not None and VERBS_FIRST.get(m["body"]) in (Family.SHOW_STRONG, Family.SHOW, Family.SCENE)

    @staticmethod
    def is_filler(clause: str) -> bool:
        """Only "uh", "um", "okay" …: a pause word between a verb and its object."""
        m = _SPLIT.match(prepare(clause))
        return m is None or not m["body"]

    @staticmethod
    def continues_flash_sale(previous: str, clause: str) -> bool:
        """A duration said after a pause that belongs to the flash sale before it."""
        return "flash" in previous.lower() and re.fullmatch(r"\d+ (?:seconds?|minutes?)", prepare(clause)) is not None

    # rules ---------------------------------------------------------------------------------------------
    @staticmethod
    def _closed(t: str) -> Command | None:
        for pattern, action in ((CONFIRM, A.CONFIRM), (CANCEL, A.CANCEL), (STATUS, A.STATUS)):
            if pattern.match(t):
                return Command(action, confidence=0.95, standalone=True, language="en", matched=t)
        return None

    def _verb_object(self, t: str) -> Command | None:
        m = _SPLIT.match(t)
        if m is None or not m["body"]:
            return None
        body, post = m["body"], bool(m["post"])
        fixed = body if body in FIXED else t if t in FIXED else ""  # "let's go live": "let's go" is no filler here
        if fixed:
            family, feature = FIXED[fixed]
            return self.resolver.resolve(Phrase(family, "", feature, closed=post, language="en", matched=t))
        for verb in _FIRST:
            if body == verb or body.startswith(verb + " "):
                cmd = self.resolver.resolve(self._phrase(VERBS_FIRST[verb], body[len(verb):].strip(), post, t))
                if cmd is not None:
                    return cmd
        around = VERB_AROUND.match(body)
        family = PARTICLE_FAMILY.get((around["verb"] or "", around["part"])) if around else None
        if around and family:
            return self.resolver.resolve(self._phrase(family, around["obj"], post, t))
        return None

    @staticmethod
    def _phrase(family: Family, raw: str, post: bool, t: str) -> Phrase:
        """The object words of a verb, typed: a feature word, a product number, or a name."""
        obj = DETERMINERS.sub("", raw)
        whole, explicit = "", False
        if family is Family.SCENE and (SCENE_MARK_HEAD.match(obj) or SCENE_MARK_TAIL.search(obj)):
            whole, explicit = obj, True  # a scene may be called "Scene 2"
            obj = DETERMINERS.sub("", SCENE_MARK_TAIL.sub("", SCENE_MARK_HEAD.sub("", obj)))
        base = Phrase(family, obj, closed=post, explicit_scene=explicit, whole=whole, language="en", matched=t)
        if obj in FEATURES:
            return replace(base, feature=FEATURES[obj])
        ref = REF.match(obj)
        if ref:
            serial = int(ref["n"] or ref["n2"] or ref["bare"] or EN_ORDINALS[ref["ord"]])
            return replace(base, serial=serial, marked=not ref["bare"], closed=post or bool(ref["ord"] or ref["n2"]))
        return base

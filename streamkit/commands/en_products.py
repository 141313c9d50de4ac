"""English product forms with their own shape: flash sales, next/previous, noun-only serials, and
``prepare`` (numbers in words → digits, misheard numbers, "uh"/"um" dropped)."""

from __future__ import annotations

import re

from .en_words import DISFLUENCIES, FILLERS, POST
from .flash import NameLookup, duration, flash_command
from .model import Command, CommandAction
from .text import EN_NUMBER_HOMOPHONES, english_numbers_to_digits

A = CommandAction
REF_WORD = r"(?:product|item|link|listing|lot|number)"
NOUN_NUM = re.compile(rf"^{FILLERS}(?:the )?(?:{REF_WORD}(?: number)? (?P<n>\d+)){POST}$")
NEXT = re.compile(
    rf"^{FILLERS}(?:(?:show|go to|on to|moving on to|move on to|let's see|let's go to|let's move to|let's move on to|"
    rf"switch to|pin|bring up|skip to)(?: me| us)? )?(?:the )?next(?: (?P<noun>product|item|one|link|listing|card))?{POST}$")
PREVIOUS = re.compile(
    rf"^{FILLERS}(?:(?:go back to|back to|show|switch to|return to|let's go back to|bring back|bring up|pin) )?"
    rf"(?:the )?(?:previous|prior|last)(?: (?P<noun>product|item|one|link|listing|card))?{POST}$|"
    rf"^{FILLERS}(?:go back(?: one)?|back one){POST.replace('?P<post>', '?:')}$")
UNIT = r"(?:seconds|second|secs|sec|minutes|minute|mins|min)"
FLASH = re.compile(
    rf"^{FILLERS}(?:(?P<start>start|begin|run|launch|kick off|do|let's do|let's start|let's run|time for|here's)"
    rf"(?: a| the| our)? )?(?:(?P<d1>\d+) (?P<u1>{UNIT})(?: long)? )?(?P<kw>flash sale|flash deal|lightning deal|countdown)"
    rf"(?: (?:on|for) (?:product|item|number|link)(?: number)? (?P<n>\d+)| (?:product|item|number|link)(?: number)? (?P<n2>\d+)"
    rf"| on (?:the )?(?P<name>[a-z][a-z ]*?))?"
    rf"(?: (?:for|of))?(?: (?P<d2>\d+)(?: (?P<u2>{UNIT}))?)?(?: countdown)?(?: (?P<go>starts now|starting now|now|go))?{POST}$")


def prepare(clause: str) -> str:
    """Lower-case words and digits only: "Show product #4, uh, please." → "show product number 4 please"."""
    t = clause.replace("let us", "let's").replace("’", "'")
    t = re.sub(r"#\s*(\d)", r"number \1", t)
    t = re.sub(r"\bno\.\s*(\d)", r"number \1", t)
    t = re.sub(r"[^a-z0-9' ]+", " ", t)
    t = DISFLUENCIES.sub(" ", t)
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"\b(next|last|previous|prior|this|that|the|which|each|every|no|any|other) one\b", r"\1 _one_", t)
    t = english_numbers_to_digits(t).replace("_one_", "one")
    homophones = "|".join(EN_NUMBER_HOMOPHONES)
    t = re.sub(rf"\b((?:product|item|number|link)(?: number)?) ({homophones})\b(?! (?:number|product|item|link|the|a|an|our|my|this|that)\b)",
               lambda m: f"{m.group(1)} {EN_NUMBER_HOMOPHONES[m.group(2)]}", t)
    # "number three, pin it" / "pin it, number seven" → "pin number 3"
    t = re.sub(r"^(.+?) (pin|show|drop) it$", r"\2 \1", t)
    return re.sub(r"^(pin|show) it (.+)$", r"\1 \2", t)


def flash_sale(t: str, product_name: NameLookup) -> Command | None:
    """flash sale sixty seconds / start a flash sale on product 4 for 45 seconds / two minute flash sale on the honey."""
    m = FLASH.match(t)
    if not m:
        return None
    secs = duration(m)
    if not (secs or (m["start"] and m["kw"] != "countdown")):
        return None
    complete = bool(m["u1"] or m["u2"] or m["go"] or m["post"]) or (secs is None and not m["d2"])
    return flash_command(m, product_name, complete=complete, language="en")


def next_or_previous(t: str) -> Command | None:
    """next product / okay, next one please / go back to the last one."""
    for pattern, action in ((NEXT, A.NEXT), (PREVIOUS, A.PREVIOUS)):
        m = pattern.match(t)
        if m:
            noun = m.groupdict().get("noun")
            complete = bool(noun or m.groupdict().get("post")) or "back" in t
            return Command(action, confidence=0.95 if noun else 0.9, complete=complete, language="en",
                           matched=m.group(0))
    return None


def noun_only(t: str) -> Command | None:
    """product number three: a command only as a whole utterance."""
    m = NOUN_NUM.match(t)
    if not m:
        return None
    return Command(A.SHOW, product=int(m["n"]), confidence=0.85, complete=bool(m["post"]), standalone=True,
                   language="en", matched=m.group(0))

"""Word tables of the English grammar: fillers, guards, verbs by family, feature nouns."""

from __future__ import annotations

import re

from .resolve import Family, Feature
from .text import EN_ORDINALS

FILLERS = (r"(?:(?:okay|ok|alright|all right|right|so|and|now|then|great|well|hey|guys|everyone|everybody|folks|"
           r"friends|please|next up|up next|here's|here is|time for|let's do|let's go|yes|yeah) )*")
POST = (r"(?P<post>(?: (?:please|now|guys|everyone|everybody|folks|thanks|thank you|for me|for us|right now|again|"
        r"okay|ok))*)")
DISFLUENCIES = re.compile(r"\b(?:uh|um|umm|uhm|er|erm|hmm|ah)\b")
DETERMINERS = re.compile(r"^(?:(?:the|our|this|that|my|these|those|a|an) )+")

#: a command is cancelled by any of these in its clause (negation, another time, a condition, a question word,
#: the past, words to viewers)
BLOCK = re.compile(
    r"\b(?:don't|do not|dont|never|not|didn't|won't|can't|cannot|shouldn't|wouldn't|no need|yesterday|tomorrow|"
    r"later|earlier|last time|next time|last week|next week|already|before|soon|in a minute|in a moment|in a bit|"
    r"if|when|whether|once|after|ago|was|were|will|gonna|going to|would|could|should|might|did|have|has|had|"
    r"sold out|out of stock|i'll|we'll|you'll|maybe|why|how|what|showed|shown|pinned|dropped|muted|unmuted|"
    r"started|stopped|switched|ended|recorded|streamed|hid|hidden|paused|resumed|closed|removed|opened|forgot|"
    r"you can|you could|you guys can|you all|your|yours|yourself|yourselves|y'all|everyone can|can you|do you|"
    r"click|tap|scan|every|tonight|o'clock|at \d+)\b")

VERBS_FIRST: dict[str, Family] = {
    **dict.fromkeys(("drop the link for", "drop the link to", "drop the link on", "drop the link", "drop link",
                     "drop a link for", "pin", "let's pin"), Family.SHOW_STRONG),
    **dict.fromkeys(("show me", "show us", "show you guys", "show you", "show everyone", "show everybody", "show",
                     "open", "display", "feature", "highlight", "pull up", "bring up", "put up", "pop up",
                     "let's see", "let's look at", "let's check out", "look at", "check out", "let me show you",
                     "take a look at", "we're looking at", "let's talk about", "talk about", "turn on", "switch on"),
                    Family.SHOW),
    **dict.fromkeys(("hide", "close", "remove", "dismiss", "clear", "take down", "kill", "get rid of", "unpin",
                     "turn off", "switch off"), Family.HIDE),
    **dict.fromkeys(("switch to", "switch back to", "switch over to", "switch scene to", "switch the scene to",
                     "switch scenes to", "change the scene to", "change scene to", "change to", "cut to",
                     "cut back to", "go to", "go back to", "jump to", "move to", "take us to", "let's go to",
                     "let's switch to"), Family.SCENE),
    **dict.fromkeys(("mute", "silence"), Family.MUTE),
    **dict.fromkeys(("unmute",), Family.UNMUTE),
    **dict.fromkeys(("start", "begin", "kick off", "start up", "let's start"), Family.START),
    **dict.fromkeys(("stop", "end", "finish"), Family.STOP),
    **dict.fromkeys(("pause", "disable", "suspend"), Family.PAUSE),
    **dict.fromkeys(("resume", "enable", "unpause"), Family.RESUME),
}
#: "turn the mic off", "put number six up", "take the link down", "mic on" (not "put it down": that is a product
#: put on the table)
VERB_AROUND = re.compile(r"^(?:(?P<verb>turn|switch|put|bring|take|pop) )?(?P<obj>.+?) (?:back )?(?P<part>on|off|up|down|away)$")
PARTICLE_FAMILY: dict[tuple[str, str], Family] = {
    **{(verb, "on"): Family.SHOW for verb in ("turn", "switch", "")},
    **{(verb, "off"): Family.HIDE for verb in ("turn", "switch", "take", "")},
    **{(verb, "up"): Family.SHOW for verb in ("put", "bring", "pop")},
    **{("take", part): Family.HIDE for part in ("down", "away")},
}
FIXED: dict[str, tuple[Family, Feature]] = {
    "go live": (Family.START, Feature.STREAM),
    "let's go live": (Family.START, Feature.STREAM),
    "unpin": (Family.HIDE, Feature.CARD),
}
FEATURES: dict[str, Feature] = {
    **dict.fromkeys(("mic", "microphone", "me", "myself", "audio"), Feature.MIC),
    **dict.fromkeys(("recording", "record"), Feature.RECORD),
    **dict.fromkeys(("streaming", "stream", "live stream", "livestream", "live", "broadcast", "broadcasting"),
                    Feature.STREAM),
    **dict.fromkeys(("gestures", "gesture", "gesture control", "gesture controls", "gesture triggers", "triggers",
                     "hand signs", "signs", "face gestures"), Feature.TRIGGERS),
    **dict.fromkeys(("card", "product card", "it", "that", "this", "link", "listing", "overlay", "banner", "popup",
                     "pop up", "pin", "product", "item"), Feature.CARD),
}
REF = re.compile(
    rf"^(?:(?:product|item|link|listing|lot|number)(?: number)? (?P<n>\d+)|(?P<n2>\d+)(?:st|nd|rd|th)? "
    rf"(?:product|item|link)|(?P<ord>{'|'.join(EN_ORDINALS)}) (?:product|item|link|one)|(?P<bare>\d+))$")
CONFIRM = re.compile(r"^(?:yes |yeah |ok |okay |i )?(?:confirm|confirm it|confirm that|do it confirm)$")
CANCEL = re.compile(r"^(?:no |never mind |nevermind )?(?:cancel|cancel that|cancel it|cancel please)$")
STATUS = re.compile(r"^(?:status|status report|status please|status check|current status|what's the status|"
                    r"read the status|read me the status|give me the status|tell me the status)$")
SCENE_MARK_HEAD = re.compile(r"^scene ")
SCENE_MARK_TAIL = re.compile(r" scene$")

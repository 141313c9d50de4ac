"""Caption pieces become utterances the same way for every feature (streamkit.text)."""

from __future__ import annotations

from streamkit.events import Caption
from streamkit.text import UtteranceAssembler


def piece(kind: str, text: str, *, utt: int = 1, end: bool = False, t: float = 1.0) -> Caption:
    return Caption(kind=kind, text=text, source="mic", speaker="主播", audio_start=0.0, audio_end=t, emitted_at=t + 0.5,
                   language="zh", utterance=utt, utterance_end=end, revision=int(kind == "revision"))


def test_a_revision_replaces_what_the_utterance_committed() -> None:
    asm = UtteranceAssembler()
    assert asm.add(piece("final", "希老女以后")) == []
    asm.add(piece("partial", "能够做的"))
    assert asm.current("mic") == "希老女以后能够做的"
    asm.add(piece("final", "能够做的比我还好用", t=3.4))
    asm.add(piece("revision", "希望你以后能够做的比我还好用。", t=3.6))
    assert asm.current("mic") == "希望你以后能够做的比我还好用。"
    [done] = asm.add(piece("final", "", end=True, t=3.6))
    assert done.text == "希望你以后能够做的比我还好用。" and done.audio_end == 3.6


def test_join_caption_spaces_latin_words_but_not_chinese() -> None:
    from streamkit.text import join_caption

    assert join_caption("Hello", "world") == "Hello world"
    assert join_caption("你好", "世界") == "你好世界"
    assert join_caption("man", ".") == "man."
    assert join_caption("", " start") == "start"
    assert join_caption("ill", "-disposed") == "ill-disposed"

"""Line layout: CJK-aware breaking, roll-up, clearing after silence, speaker labels."""

from __future__ import annotations

from streamkit.plugins.captions.layout import CaptionLayout, Span, text_width, wrap


def lines_of(rows: list[list[Span]]) -> list[str]:
    return ["".join(s.text for s in row) for row in rows]


def test_chinese_counts_double_and_breaks_anywhere_but_before_punctuation() -> None:
    rows = lines_of(wrap([Span("甚至出现交易几乎停滞的情况，价格下跌了很多。")], 20))
    assert rows == ["甚至出现交易几乎停滞", "的情况，价格下跌了很", "多。"]
    assert all(text_width(r) <= 20 for r in rows)
    # closing punctuation never starts a line: it stays with the character before it
    rows = lines_of(wrap([Span("一二三四五，六七")], 10))
    assert rows == ["一二三四", "五，六七"]


def test_latin_breaks_between_words_and_cuts_only_overlong_words() -> None:
    rows = lines_of(wrap([Span("And Mr. John Dashwood had then leisure to consider")], 16))
    assert rows == ["And Mr. John", "Dashwood had", "then leisure to", "consider"]
    assert lines_of(wrap([Span("Supercalifragilistic")], 8)) == ["Supercal", "ifragili", "stic"]


def test_roll_up_keeps_the_last_lines_and_partial_is_marked() -> None:
    layout = CaptionLayout(chars_per_line=20, lines=2)
    layout.apply(source="mic", speaker="主播", kind="final", text="甚至出现交易几乎停滞的情况，", now=0)
    layout.apply(source="mic", speaker="主播", kind="partial", text="价格下跌", now=0.5)
    rows = layout.rows()
    assert lines_of(rows) == ["甚至出现交易几乎停滞", "的情况，价格下跌"]
    assert rows[-1][-1] == Span("价格下跌", partial=True)
    layout.apply(source="mic", speaker="主播", kind="final", text="价格下跌了很多。", now=1.0)
    assert layout.text() == "的情况，价格下跌了很\n多。"  # the first line rolled out


def test_cleared_after_silence_but_not_while_someone_speaks() -> None:
    layout = CaptionLayout(clear_after=4.0)
    layout.apply(source="mic", speaker="", kind="final", text="Hello there.", now=0)
    layout.apply(source="mic", speaker="", kind="partial", text="How", now=1)
    assert not layout.tick(6)  # a partial is on screen: still speaking
    layout.apply(source="mic", speaker="", kind="final", text="How are you?", now=6)
    assert not layout.tick(9)
    assert layout.tick(10.5) and layout.text() == ""


def test_speaker_labels_when_several_sources_speak() -> None:
    layout = CaptionLayout(chars_per_line=40, lines=4, speaker_labels=True)
    layout.apply(source="mic", speaker="主播", kind="final", text="大家好", now=0, utterance=1, start=0.0,
                 utterance_end=True)
    assert layout.text() == "大家好"  # one speaker so far: no label
    layout.apply(source="call", speaker="嘉宾", kind="partial", text="你好主播", now=0.2, utterance=1, start=0.1)
    assert layout.text() == "主播：大家好\n嘉宾：你好主播"
    layout.apply(source="call", speaker="嘉宾", kind="final", text="你好主播。", now=0.5, utterance=1, start=0.1,
                 utterance_end=True)
    layout.apply(source="mic", speaker="主播", kind="final", text="欢迎", now=0.8, utterance=2, start=0.6)
    assert layout.text() == "主播：大家好\n嘉宾：你好主播。\n主播：欢迎"

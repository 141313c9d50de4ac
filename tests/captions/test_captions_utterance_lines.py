"""Line assembly: one line per speaker utterance, growing in place, in speaking order (unit tests).

The caption sequence below is what `streamkit demo` produced (base int8, the English commands and
the AISHELL clip as two sources at once): fragments of the two speakers arrive interleaved.
"""

from __future__ import annotations

from streamkit.plugins.captions.display import monitor_message, overlay_message
from streamkit.plugins.captions.layout import CaptionLayout, text_width
from streamkit.plugins.captions.utterances import UtteranceBoard, fit

HOST, GUEST = ("host", "主播"), ("guest", "嘉宾")
# (speaker, kind, text, utterance, audio_start, utterance_end) in arrival order
DEMO = [
    (HOST, "partial", "Show.", 1, 0.212, False),
    (HOST, "final", "Show", 1, 0.212, False),
    (HOST, "partial", "product.", 1, 0.772, False),
    (GUEST, "partial", "甚至出现胶。", 1, 0.244, False),
    (HOST, "final", "product", 1, 0.772, False),
    (HOST, "partial", "3", 1, 1.292, False),
    (GUEST, "final", "甚至出现胶", 1, 0.564, False),
    (GUEST, "partial", "一机", 1, 1.724, False),
    (HOST, "final", "3", 1, 1.292, False),
    (HOST, "final", ".", 1, 1.832, True),
    (GUEST, "partial", "益几乎停止。", 1, 1.724, False),
    (GUEST, "final", "益几乎停止", 1, 1.724, False),
    (GUEST, "partial", "的情况。", 1, 2.864, False),
    (HOST, "partial", "Flash.", 2, 3.7, False),
    (GUEST, "final", "的情况", 1, 2.864, False),
    (HOST, "final", "Flash,", 2, 3.7, False),
    (HOST, "partial", "ale, sick.", 2, 4.46, False),
    (GUEST, "final", "。", 1, 3.484, True),
    (HOST, "partial", "sail, 60 seconds.", 2, 4.46, False),
    (HOST, "final", "sail, 60 seconds", 2, 4.46, False),
    (HOST, "final", ".", 2, 5.86, True),
    (HOST, "partial", "Next product.", 3, 7.732, False),
    (HOST, "final", "Next product", 3, 7.732, False),
    (HOST, "final", ".", 3, 8.972, True),
]


def feed(target: CaptionLayout | UtteranceBoard, captions: list, now: float = 0.0) -> None:
    for i, ((source, speaker), kind, text, utt, start, end) in enumerate(captions):
        extra = {"now": now + i * 0.1} if isinstance(target, CaptionLayout) else {}
        target.apply(source=source, speaker=speaker, kind=kind, text=text, utterance=utt, start=start,
                     utterance_end=end, **extra)


def texts(board: UtteranceBoard) -> list[str]:
    return [f"{ln.speaker}：{ln.text}" for ln in board.lines()]


def test_interleaved_fragments_become_one_line_per_utterance_in_speaking_order() -> None:
    board = UtteranceBoard()
    feed(board, DEMO)
    assert texts(board) == ["主播：Show product 3.", "嘉宾：甚至出现胶益几乎停止的情况。",
                            "主播：Flash, sail, 60 seconds.", "主播：Next product."]
    assert all(ln.done and not ln.partial for ln in board.lines())


def test_a_line_grows_in_place_and_its_partial_is_kept_apart() -> None:
    board = UtteranceBoard()
    seen: dict[str, list[tuple[str, str]]] = {}
    objects: dict[str, object] = {}
    for step in DEMO:
        feed(board, [step])
        for ln in board.lines():
            assert objects.setdefault(ln.key, ln) is ln  # the same line object, updated in place
            history = seen.setdefault(ln.key, [])
            if not history or history[-1] != (ln.committed, ln.partial):
                history.append((ln.committed, ln.partial))
    guest = seen["guest#1"]
    assert guest[0] == ("", "甚至出现胶。")  # first shown as partial only
    committed = [c for c, _ in guest]
    assert all(b.startswith(a) for a, b in zip(committed, committed[1:]))  # committed text only ever grows
    assert ("甚至出现胶益几乎停止", "的情况。") in guest
    # the host's line: the partial tail carries the space English needs
    board = UtteranceBoard()
    feed(board, DEMO[:3])
    (line,) = board.lines()
    assert (line.committed, line.partial_tail, line.text) == ("Show", " product.", "Show product.")


def test_speaking_order_is_by_utterance_start_not_by_arrival() -> None:
    board = UtteranceBoard()
    # the guest's first words arrive after the host's, but the guest started speaking first
    feed(board, [(HOST, "partial", "Show", 1, 0.40, False), (GUEST, "partial", "甚至", 1, 0.25, False)])
    assert [ln.speaker for ln in board.lines()] == ["嘉宾", "主播"]
    # a later, earlier-aligned start moves the line up; ties keep arrival order
    feed(board, [(HOST, "final", "Show", 1, 0.10, False)])
    assert [ln.speaker for ln in board.lines()] == ["主播", "嘉宾"]


def test_a_new_utterance_closes_the_previous_one_of_that_source() -> None:
    board = UtteranceBoard()
    feed(board, [(HOST, "final", "Hello", 1, 0.0, False), (HOST, "partial", "there", 1, 0.5, False),
                 (HOST, "partial", "Next", 2, 3.0, False)])
    first, second = board.lines()
    assert (first.text, first.done, first.partial) == ("Hello", True, "")
    assert (second.text, second.active) == ("Next", True)


def test_captions_without_utterance_numbers_continue_the_open_line() -> None:
    board = UtteranceBoard()
    board.apply(source="mic", speaker="主播", kind="final", text="大家好", start=0.0)
    board.apply(source="mic", speaker="主播", kind="final", text="欢迎。", start=1.0, utterance_end=True)
    board.apply(source="mic", speaker="主播", kind="final", text="今天", start=2.0)
    assert [ln.text for ln in board.lines()] == ["大家好欢迎。", "今天"]


def test_cleared_partial_and_ended_source_leave_no_empty_lines() -> None:
    board = UtteranceBoard()
    feed(board, [(GUEST, "partial", "嗯", 1, 0.0, False), (GUEST, "partial", "", 1, 0.0, False)])
    assert board.lines() == []  # a false start (or a mute) leaves nothing behind
    feed(board, [(HOST, "final", "Show", 1, 0.0, False), (HOST, "partial", "product", 1, 0.5, False)])
    board.end_source("host")
    (line,) = board.lines()
    assert (line.text, line.done) == ("Show", True)


def test_settled_text_is_whole_sentences_until_the_utterance_ends() -> None:
    board = UtteranceBoard()
    feed(board, [(GUEST, "final", "价格是49.9元。现在", 1, 0.0, False)])
    (line,) = board.lines()
    assert line.committed[: line.settled] == "价格是49.9元。"  # "49.9" is no sentence end
    feed(board, [(GUEST, "final", "下单", 1, 0.0, True)])
    assert line.settled == len(line.committed)


def test_fit_keeps_the_last_row_of_everyone_still_speaking() -> None:
    # a long guest line still being spoken, then two short finished host lines: 2 rows
    assert fit([(True, 3), (False, 1), (False, 1)], 2) == [1, 0, 1]
    assert fit([(False, 2), (True, 1)], 2) == [1, 1]
    assert fit([(False, 1), (False, 1), (False, 1)], 2) == [0, 1, 1]
    assert fit([(True, 1), (True, 1), (True, 1)], 2) == [0, 1, 1]
    assert fit([], 2) == []


def test_stream_rows_wrap_each_utterance_with_cjk_rules() -> None:
    layout = CaptionLayout(chars_per_line=24, lines=4, clear_after=0, speaker_labels=True)
    feed(layout, DEMO[:13])  # mid-way: the guest's line still has a partial
    rows = ["".join(s.text for s in row) for row in layout.rows()]
    assert rows == ["主播：Show product 3.", "嘉宾：甚至出现胶益几乎停", "止的情况。"]
    assert all(text_width(r) <= 24 for r in rows)
    assert not any(r[0] in "，。！？、：" for r in rows)  # Chinese punctuation never starts a row
    last = layout.rows()[-1]
    assert [(s.text, s.partial) for s in last] == [("止", False), ("的情况。", True)]
    # two rows only: the host's finished line rolls out before the guest's row being spoken
    layout.lines = 2
    assert ["".join(s.text for s in row) for row in layout.rows()] == rows[1:]


def test_a_line_that_rolled_out_never_comes_back() -> None:
    layout = CaptionLayout(chars_per_line=24, lines=2, clear_after=0, speaker_labels=True)
    feed(layout, DEMO[:10])  # the host's first line is finished
    feed(layout, [(GUEST, "partial", "甚至出现胶益几乎停止的情况价格下跌", 1, 0.244, False)])
    assert [ln.key for ln, _ in layout.line_rows()] == ["guest#1"]  # two rows of the guest: the host's line rolled out
    feed(layout, [(GUEST, "partial", "甚至出现", 1, 0.244, False)])  # the guest's line shrinks back to one row
    assert [ln.key for ln, _ in layout.line_rows()] == ["guest#1"]  # … and the host's line stays gone (no flicker)


def test_pages_get_lines_with_stable_keys() -> None:
    stream = CaptionLayout(chars_per_line=32, lines=3, clear_after=0, speaker_labels=True)
    monitor = CaptionLayout(160, 6, 0.0, True, speaker_labels=True, label_single_speaker=True)
    for layout in (stream, monitor):
        feed(layout, DEMO[:13])
    lines = monitor_message(monitor)["lines"]
    assert [(ln["key"], ln["label"], ln["committed"], ln["partial"]) for ln in lines] == [
        ("host#1", "主播：", "Show product 3.", ""), ("guest#1", "嘉宾：", "甚至出现胶益几乎停止", "的情况。")]
    assert [ln["done"] for ln in lines] == [True, False]
    overlay = overlay_message(stream)["lines"]
    assert [ln["key"] for ln in overlay] == ["host#1", "guest#1"]
    guest_rows = overlay[1]["rows"]
    assert "".join(s["text"] for row in guest_rows for s in row) == "嘉宾：甚至出现胶益几乎停止的情况。"
    assert "".join(s["text"] for row in guest_rows for s in row if s["partial"]) == "的情况。"


def test_a_revision_rewrites_its_own_line_once_and_nothing_else() -> None:
    board = UtteranceBoard()
    feed(board, DEMO[:9])  # the host's "Show product 3" is open, the guest is speaking too
    guest_before = [ln.text for ln in board.lines() if ln.source == "guest"]
    feed(board, [(HOST, "revision", "Show product three.", 1, 0.212, False), (HOST, "final", "", 1, 0.212, True)])
    host = [ln for ln in board.lines() if ln.source == "host"]
    assert [ln.text for ln in host] == ["Show product three."] and host[0].done
    assert [ln.text for ln in board.lines() if ln.source == "guest"] == guest_before


def test_a_revision_of_a_line_that_rolled_off_brings_nothing_back() -> None:
    board = UtteranceBoard(keep=1)
    feed(board, [c for c in DEMO[:10] if c[0] == HOST] + [(HOST, "final", "Flash sale.", 2, 3.7, True)])
    feed(board, [(HOST, "revision", "Show product three.", 1, 0.212, False)])
    assert [ln.key for ln in board.lines()] == ["host#2"]

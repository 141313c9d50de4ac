"""Decoding a phrase in windows of frames, without the model: which frames, and how they are joined."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from streamkit.speech import derived
from streamkit.speech.frames import FADE, FIRST, LEAD, LONGEST, SILENCE_CONTEXT, Crossfade, WindowSizes, plan_windows, word_breaks

HOP = 600
#: A piece of 14 tokens: 13 frames of silence before, 15 after, like Kokoro's pads.
DURATIONS = [13, 3, 2, 5, 4, 6, 3, 2, 7, 4, 3, 5, 16, 15]


def test_windows_cover_the_speech_end_to_end_and_play_little_of_the_silence_before() -> None:
    windows = plan_windows(DURATIONS)
    total = sum(DURATIONS)
    assert windows[0].start == DURATIONS[0] - LEAD and windows[-1].end == total
    assert all(a.end == b.start for a, b in zip(windows, windows[1:], strict=False))
    assert [w.final for w in windows] == [False] * (len(windows) - 1) + [True]
    assert windows[0].end - DURATIONS[0] == FIRST                      # a short first window of speech
    sizes = [w.end - w.start for w in windows]
    assert sizes[1] == 2 * sizes[0] and sizes[-1] >= sizes[-2] // 2      # growing, no scrap at the end


def test_each_window_is_decoded_with_context_and_fades_into_the_next() -> None:
    windows = plan_windows(DURATIONS)
    first, *later = windows
    assert first.first == DURATIONS[0] - SILENCE_CONTEXT < first.start  # the end of the silence before is its context
    assert first.last > first.end + FADE                               # and a little after it
    for w in later:
        assert w.first < w.start and (w.final or w.last > w.end + w.fade)
    assert windows[-1].last == sum(DURATIONS)
    assert all(w.fade == FADE for w in windows[:-1]) and windows[-1].fade == 0


def test_all_the_silence_before_can_be_the_first_windows_context() -> None:
    assert plan_windows(DURATIONS, silence=None)[0].first == 0
    assert plan_windows([5, 4, 15], silence=8)[0].first == 0  # no frame before the first


def test_a_short_piece_is_one_window_of_all_its_frames() -> None:
    (only,) = plan_windows([5, 2, 3, 4])
    assert only.final and (only.first, only.last) == (0, 14) and (only.start, only.end) == (2, 14)


def test_later_pieces_start_with_long_windows() -> None:
    sizes = WindowSizes()
    first_piece = sizes.plan(DURATIONS)
    second_piece = sizes.plan([13, *[4] * 60, 15])
    assert second_piece[0].end - second_piece[0].start >= 2 * (first_piece[-1].end - first_piece[-1].start)
    assert sizes.next <= LONGEST


@pytest.mark.parametrize("durations", [DURATIONS, [13, *[3] * 90, 15], [2, 1, 1, 2]])
def test_joined_windows_give_back_the_signal_they_were_cut_from(durations: list[int]) -> None:
    """Windows decoded from one smooth signal and cross-faded are that signal again, sample for sample."""
    total = sum(durations)
    signal = np.sin(np.arange(total * HOP, dtype=np.float32) / 37.0).astype(np.float32)
    windows = plan_windows(durations)
    joined = Crossfade(HOP)
    out = np.concatenate([joined.take(w, signal[w.first * HOP:w.last * HOP]) for w in windows])
    start, end = windows[0].start * HOP, windows[-1].end * HOP
    np.testing.assert_allclose(out, signal[start:end], atol=1e-6)


def test_the_fade_blends_two_different_windows_smoothly() -> None:
    windows = plan_windows(DURATIONS)
    joined = Crossfade(HOP)
    a = joined.take(windows[0], np.ones((windows[0].last - windows[0].first) * HOP, dtype=np.float32))
    b = joined.take(windows[1], np.zeros((windows[1].last - windows[1].first) * HOP, dtype=np.float32))
    assert (a == 1).all()
    head = b[:FADE * HOP]
    assert head[0] == pytest.approx(1.0) and (np.diff(head) < 0).all() and (b[FADE * HOP:] == 0).all()


def test_a_graph_that_cannot_be_cut_leaves_the_model_whole(tmp_path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["tokens"], ["audio"])], "not-kokoro",
                              [helper.make_tensor_value_info("tokens", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("audio", TensorProto.FLOAT, [1, 4])])
    model = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph), str(model))
    assert derived.streaming_graph(model, "0" * 64, cache=tmp_path / "derived") is None
    assert not any((tmp_path / "derived").glob("kokoro-stream-*/derivation.json"))


def test_windows_end_between_words_when_a_break_is_near() -> None:
    tokens = [50, 83, 156, 16, 43, 102, 56, 16, 123, 68, 61, 4]  # … " " … " " … "."
    durations = [13, 3, 2, 5, 4, 6, 3, 2, 7, 4, 3, 5, 16, 15]    # the pads, then one per token
    breaks = word_breaks(durations, tokens, gaps={16, 4})
    assert breaks == [13 + 3 + 2 + 5 + 2, 13 + 3 + 2 + 5 + 4 + 6 + 3 + 2 + 3, 13 + 36 + 3 + 5 + 8]
    windows = plan_windows(durations, breaks=breaks)
    assert windows[0].end == breaks[0]                       # 12 frames of speech wanted, a space at 12
    far = plan_windows(durations, breaks=[60])               # no break near: cut where wanted
    assert far[0].end == durations[0] + FIRST

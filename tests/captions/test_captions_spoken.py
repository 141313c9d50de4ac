"""Words streamkit speaks into the stream (a seller's quick phrase) show as a caption line."""

from __future__ import annotations

from streamkit.events import Caption, SpokenPhrase
from streamkit.plugins.captions.display import CaptionDisplay
from streamkit.plugins.captions.layout import CaptionLayout
from streamkit.testing.helpers import wait_until


class TextSink:
    """Records the OBS text the display sends (the real OBS text path is tested in test_captions_obs_overlay)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def set_text(self, name: str, text: str) -> None:
        self.texts.append(text)


def test_a_spoken_phrase_is_shown_as_a_caption_line() -> None:
    obs = TextSink()
    display = CaptionDisplay(CaptionLayout(chars_per_line=40, lines=2, clear_after=0),
                             CaptionLayout(chars_per_line=160, lines=8, clear_after=0, speaker_labels=True),
                             obs=obs, obs_input="字幕", min_interval=0.05).start()
    try:
        display.show_spoken(SpokenPhrase(text="三号新疆蜂蜜，到手价49.9元", voice="zf_001", destination="stream",
                                         language="zh"))
        assert wait_until(lambda: obs.texts and "到手价49.9元" in obs.texts[-1], 5)
        assert display.monitor is not None and "到手价49.9元" in display.monitor.text()
    finally:
        display.stop()


def test_a_spoken_phrase_follows_the_lines_already_heard_with_its_label() -> None:
    """While a guest's captions run, the seller's words are the newest line, on the stream's two lines, and
    labelled like the other speakers' lines (a deaf viewer reads whose words they are)."""
    obs = TextSink()
    display = CaptionDisplay(CaptionLayout(chars_per_line=40, lines=2, clear_after=0, speaker_labels=True), obs=obs,
                             obs_input="字幕", min_interval=0.05, spoken_label="主播（语音）").start()
    try:
        for i, (start, text) in enumerate([(1.0, "甚至出现交易几乎停止的情况。"), (5.0, "Next product."),
                                           (9.0, "Hide the card.")], start=1):
            display.show(Caption(kind="final", text=text, source=f"s{i % 2}", speaker=f"S{i % 2}", audio_start=start,
                                 audio_end=start + 2, emitted_at=start + 3, language="", utterance=i,
                                 utterance_end=True))
        display.show_spoken(SpokenPhrase(text="欢迎来到直播间", voice="jf_alpha", destination="stream", language="zh"))
        assert wait_until(lambda: bool(obs.texts) and obs.texts[-1].splitlines()[-1] == "主播（语音）：欢迎来到直播间", 5)
    finally:
        display.stop()

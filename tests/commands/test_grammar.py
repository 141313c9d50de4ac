"""The shared grammar's contract and behaviour beyond the tables: targets, switches, flags, properties."""

from __future__ import annotations

import pytest
from commands_helpers import TABLES, load_toml, table_vocabulary
from hypothesis import given, settings
from hypothesis import strategies as st

from streamkit.commands import (CONFIRMED_ACTIONS, PRODUCT_ACTIONS, Command, CommandAction, CommandParser,
                                ProductNames, Vocabulary)
from streamkit.features import ProductAction

A = CommandAction
VOCAB = table_vocabulary()
PARSER = CommandParser(VOCAB)


def parse(text: str, **vocab: object) -> Command:
    return CommandParser(Vocabulary(**vocab)).parse(text) if vocab else PARSER.parse(text)  # type: ignore[arg-type]


def test_actions_are_the_issue_names_plus_the_confirmation_step() -> None:
    assert [a.value for a in A] == [
        "scene", "mute", "unmute", "show_source", "hide_source", "record_start", "record_stop", "stream_start",
        "stream_stop", "pause_triggers", "resume_triggers", "status", "show", "hide", "next", "previous",
        "flash_sale", "confirm", "cancel"]
    assert PRODUCT_ACTIONS == {A.SHOW, A.HIDE, A.NEXT, A.PREVIOUS, A.FLASH_SALE}
    assert CONFIRMED_ACTIONS == {A.RECORD_START, A.RECORD_STOP, A.STREAM_START, A.STREAM_STOP}
    assert A.SCENE.target_kind == "scene" and A.MUTE.target_kind == "source" and A.STATUS.target_kind == ""
    assert [a.product_action for a in A if a.is_product] == list(ProductAction)  # the products contract
    assert A.SCENE.product_action is None


@pytest.mark.parametrize("text, needs", [("开始录制", True), ("Stop streaming.", True), ("结束录制", True),
                                         ("开播", True), ("切到近景", False), ("静音", False), ("确认", False)])
def test_recording_and_streaming_need_confirmation(text: str, needs: bool) -> None:
    cmd = parse(text)
    assert cmd.action is not None and cmd.needs_confirmation is needs


def test_json_line_has_exactly_the_issue_fields() -> None:
    assert parse("切到近景").to_json() == {"action": "scene", "target": "近景特写", "product": None, "seconds": None,
                                        "confidence": 0.855}
    assert parse("今天天气不错").to_json() == {"action": None, "target": None, "product": None, "seconds": None,
                                          "confidence": 0.0}


@pytest.mark.parametrize("text, target", [
    ("切到近景特写", "近景特写"),      # the whole name
    ("切到近景", "近景特写"),          # a part of it
    ("切到特写", "近景特写"),
    ("切到进京", "近景特写"),          # a part that sounds the same
    ("回到主画面", "直播间"),          # an alias
    ("Switch to close up.", "Close-up"),  # spaces and hyphens do not count
])
def test_scene_target_is_the_exact_obs_name(text: str, target: str) -> None:
    assert (parse(text).action, parse(text).target) == (A.SCENE, target)


def test_scene_names_with_numbers() -> None:
    for said in ("切到场景二", "切到场景2"):
        assert parse(said, scenes=("场景", "场景 2")).target == "场景 2", said
    for said in ("switch to scene 2", "switch to scene two"):
        assert parse(said, scenes=("Scene", "Scene 2")).target == "Scene 2", said


def test_a_part_shared_by_two_scenes_names_neither() -> None:
    cmd = parse("切到近景", scenes=("近景特写", "近景全身"))
    assert cmd.action is None


def test_an_unknown_scene_keeps_the_spoken_words_for_the_answer() -> None:
    cmd = parse("切换场景到游戏")
    assert (cmd.action, cmd.target, cmd.spoken_target) == (A.SCENE, None, "游戏")
    assert parse("切到游戏").action is None  # without 场景 it is just talk


def test_the_microphone_is_configured_found_by_name_or_missing() -> None:
    assert parse("静音", sources=("Mic/Aux", "Desktop Audio")).target == "Mic/Aux"
    assert parse("mute the mic", sources=("Mic/Aux",), microphone="Headset").target == "Headset"
    cmd = parse("关麦", sources=("二维码",))
    assert (cmd.action, cmd.target, cmd.spoken_target) == (A.MUTE, None, "麦克风")


def test_switching_off_means_mute_for_sound_and_hide_for_pictures() -> None:
    assert parse("把背景音乐关掉").key == ("mute", "背景音乐", None, None)
    assert parse("把二维码关掉").key == ("hide_source", "二维码", None, None)
    assert parse("打开背景音乐").key == ("unmute", "背景音乐", None, None)
    assert parse("打开二维码").key == ("show_source", "二维码", None, None)
    # OBS's input kinds, when known, decide instead of the name
    assert parse("关掉二维码", sources=("二维码",), audio_sources=("二维码",)).action == A.MUTE
    assert parse("关掉背景音乐", sources=("背景音乐",), audio_sources=()).action == A.HIDE_SOURCE


def test_a_source_word_is_not_a_product_and_a_product_not_a_source() -> None:
    assert parse("上一下二维码").key == ("show_source", "二维码", None, None)
    assert parse("上一下蜂蜜").key == ("show", None, 7, None)
    assert parse("上链接二维码").action is None  # 上链接 only ever shows a product


def test_switched_off_actions_never_fire() -> None:
    products_only = CommandParser(Vocabulary(scenes=("近景特写",), products=VOCAB.products, actions=PRODUCT_ACTIONS))
    assert products_only.parse("切到近景").action is None
    assert products_only.parse("开始录制").action is None
    assert products_only.parse("上链接3号").product == 3


def test_wake_word_applies_to_every_command() -> None:
    p = CommandParser(VOCAB, wake_word="小播")
    assert p.parse("切到近景").action is None
    assert p.parse("小播，切到近景").target == "近景特写"
    assert p.parse("小波静音").action == A.MUTE  # a homophone of the wake word


def test_several_commands_in_one_utterance() -> None:
    cmds = PARSER.parse_all("切到近景，把二维码放出来，上链接3号")
    assert [c.key for c in cmds] == [("scene", "近景特写", None, None), ("show_source", "二维码", None, None),
                                     ("show", None, 3, None)]
    assert all(c.complete for c in cmds)


@pytest.mark.parametrize("text, complete, standalone", [
    ("切到近景特写", True, False),   # the whole name: nothing can change it
    ("切到近景", False, False),      # a part: "切到近景特写" or more words may follow
    ("切到近景吧", True, False),
    ("静音", False, False),          # "静音的话…" may follow
    ("开始录制", False, False),
    ("开始录制吧", True, False),
    ("确认", True, True),            # short words only count as a whole utterance
    ("cancel", True, True),
    ("状态", True, True),
    ("hide the QR code", True, False),
])
def test_when_a_partial_caption_is_safe_to_act_on(text: str, complete: bool, standalone: bool) -> None:
    cmd = parse(text)
    assert cmd.action is not None
    assert (cmd.complete, cmd.standalone) == (complete, standalone)


def test_product_names_are_matched_on_catalog_entries_not_a_catalog_type() -> None:
    p = CommandParser(Vocabulary(products=(ProductNames(5, ("竹筷子", "筷子", "chopsticks")),)))
    assert p.parse("把筷子挂上来").product == 5
    assert p.parse("pin the chopsticks").product == 5


OBS_ZH = [c["text"] for c in load_toml(TABLES[("obs", "tuned")])["command"]
          if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"]) and "，" not in c["text"]
          and c["action"] not in ("confirm", "cancel", "status")]
OBS_EN = [c["text"] for c in load_toml(TABLES[("obs", "tuned")])["command"]
          if not any("\u4e00" <= ch <= "\u9fff" for ch in c["text"]) and "," not in c["text"]
          and c["action"] not in ("confirm", "cancel", "status")]


@settings(max_examples=150, deadline=None)
@given(text=st.sampled_from(OBS_ZH), word=st.sampled_from(
    ["不要", "别", "昨天", "刚才", "待会儿", "上次", "如果", "你们可以", "大家可以", "有人说", "已经"]))
def test_negated_past_later_or_told_to_viewers_chinese_never_fires(text: str, word: str) -> None:
    cmd = PARSER.parse(word + text)
    assert cmd.action is None, cmd


@settings(max_examples=150, deadline=None)
@given(text=st.sampled_from(OBS_EN), head=st.sampled_from(["don't ", "I'll ", "you can ", "we already ", "never "]),
       tail=st.sampled_from(["", " yesterday", " later", " tomorrow"]))
def test_negated_past_later_or_told_to_viewers_english_never_fires(text: str, head: str, tail: str) -> None:
    cmd = PARSER.parse(head + text[0].lower() + text[1:].rstrip(".") + tail)
    assert cmd.action is None, cmd


@settings(max_examples=100, deadline=None)
@given(text=st.sampled_from(OBS_ZH + OBS_EN))
def test_a_question_never_fires(text: str) -> None:
    mark = "？" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "?"
    assert PARSER.parse(text.rstrip(".") + mark).action is None


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_parses_without_error(text: str) -> None:
    cmd = PARSER.parse(text)
    assert cmd.action is None or isinstance(cmd.action, CommandAction)
    assert 0.0 <= cmd.confidence <= 1.0
    assert cmd.target is None or cmd.target in VOCAB.scenes + VOCAB.sources

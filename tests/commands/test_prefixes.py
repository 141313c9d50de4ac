"""Partial captions arrive a few words at a time: no beginning of a table row may fire a command that the
whole row does not give (see ``early_commands``). Rows where today's grammar still does are listed in
KNOWN and reported by benchmarks/commands.py; the list may only shrink."""

from __future__ import annotations

import pytest
from commands_helpers import TABLES, early_commands, partial_caption, prefix_false_activations, prefixes, table_parser

from streamkit.commands import CommandParser
from streamkit.commands.detector import CommandDetector

#: rows where a beginning fires today, by why (product-grammar rules older than the prefix check)
KNOWN = frozenset({
    # a flash sale said before its length, after a pause: it starts with the default length, then again
    "开始秒杀，倒计时三十秒", "Start a flash sale for thirty seconds.", "秒杀开始，三十秒", "开始秒杀，一分钟",
    "来个秒杀，倒计时60秒", "上秒杀，两分钟", "Two minute flash sale on the honey.", "开始秒杀，两分钟",
    "Start a flash sale on number three for thirty seconds.",
    # a whole product or source command, then words that make it a question, another time, or talk
    "上链接3号吗？", "蜂蜜上链接了吗", "3号弹出来了吗", "3号上了吗", "这个蜂蜜上链接之前我先讲一下",
    "蜂蜜上次上链接一下就秒没了", "蜂蜜上链接的时候大家手速要快", "这个围巾上次挂上去两分钟就没了", "看看这个围巾多好看",
    "我们把围巾放上来给大家试一下颜色", "收起来放冰箱就行", "价格牌上写的是九十九", "the next product is amazing",
    "The next item is even better.", "Go back one.",
    # a whole OBS name fires at once (the rule that makes "switch to close-up" quick), then a condition or a time
    "切到近景特写的时候大家可以看到细节", "Switch to close-up when I hold the product.", "把二维码关掉之前先截图",
    "Hide the QR code when the sale ends.",
})


@pytest.fixture(scope="module")
def parser() -> CommandParser:
    return table_parser()


def test_beginnings_are_cut_as_partial_captions_show_them() -> None:
    assert prefixes("切到近景") == ["切", "切到", "切到近", "切到近景"]
    assert prefixes("Mute the mic.") == ["Mute", "Mute the", "Mute the mic."]


@pytest.mark.parametrize("table, split", list(TABLES))
def test_no_beginning_of_a_row_fires_what_the_row_does_not_say(parser: CommandParser, table: str, split: str) -> None:
    early = prefix_false_activations(parser, TABLES[(table, split)])
    new = [row for row in early if row["text"] not in KNOWN]
    assert new == []


@pytest.mark.parametrize("text", ["Show me the thermos.", "静音的话听不到哦", "开始录制之前先调好灯光", "画面切到商品展示"])
def test_beginnings_that_once_fired(parser: CommandParser, text: str) -> None:
    """A pronoun is no microphone said whole ("show me…"); growing partials that give one command are not
    stable words ("静音" → "静音的…"); a half-heard name ("商") is not answered before the end."""
    assert early_commands(parser, text) == []


@pytest.mark.parametrize("text, closed", [("Mute the mic", "Mute the mic please"), ("关麦", "关麦吧"),
                                          ("麦克风关掉", "麦克风关掉吧")])
def test_a_microphone_command_waits_for_a_pause_or_a_closing_word(parser: CommandParser, text: str,
                                                                  closed: str) -> None:
    """"关麦" may go on as "关麦的话…": it acts when the speaker pauses, not on its partial caption."""
    fired: list[tuple] = []
    CommandDetector(lambda: parser, lambda c, t: fired.append(c.key)).on_caption(partial_caption(text, 1))
    assert fired == []
    CommandDetector(lambda: parser, lambda c, t: fired.append(c.key)).on_caption(partial_caption(closed, 2))
    assert [key[0] for key in fired] == ["mute"]

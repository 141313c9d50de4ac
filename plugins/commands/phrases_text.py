"""The words of the quick-phrase board (``/phrases``), Simplified Chinese first, then English."""

from __future__ import annotations

from streamkit.panel import PageWords

TEXT: dict[str, tuple[str, str]] = {
    "title": ("快捷话", "Quick phrases"),
    "lead": ("不方便说话时，按一下按钮（或数字键 1–9），streamkit 就把这句话说进直播，同时在画面上显示成字幕。",
             "When speaking is hard, press a button (or a number key 1–9): streamkit says the phrase into the stream "
             "and shows the words as a caption line."),
    # why the board cannot speak now
    "no_session": ("还没有开播，现在说不出声音：先在首页点「开始本场」，再按快捷话。",
                   "No session is running, so nothing can be spoken: start the session on the home page, then press a phrase."),
    "speech_off": ("本场没有开启语音输出：在设置里打开 [speech] enabled，再重新开始本场。",
                   "Spoken output is off in this session: set [speech] enabled = true, then start the session again."),
    "stream_off": ("快捷话没有接到直播里（[speech] stream = false）：打开它，再重新开始本场。",
                   "Quick phrases are not sent to the stream ([speech] stream = false): turn it on, then start the session again."),
    "obs_off": ("没有连接 OBS（[obs] enabled = false），声音进不了直播：在设置里连上 OBS，再重新开始本场。",
                "OBS is not connected ([obs] enabled = false), so no voice can reach the stream: connect OBS in set-up, then start the session again."),
    "engine": ("语音模型用不了，现在说不出声音：{detail}", "The speech model cannot be used, so nothing can be spoken: {detail}"),
    "ready": ("可以说话了：按按钮、数字键，或在下面输入。", "Ready: press a button or a number key, or type below."),
    "disabled_reason": ("现在不能播放：", "Cannot play now: "),
    # the board
    "board_heading": ("按一下就说", "Press to speak"),
    "board_empty": ("还没有快捷话：在下面「我的快捷话」里添加一句，或在商品页导入商品目录。",
                    "No quick phrases yet: add one under “My phrases” below, or import a catalog on the products page."),
    "key_hint": ("按 {key}", "Key {key}"),
    "from_catalog": ("商品", "Product"),
    # type to speak
    "type_heading": ("输入要说的话", "Type to speak"),
    "type_label": ("要说进直播的话", "Words to say into the stream"),
    "type_hint": ("最多 200 个字。按 Enter 或「说出来」，观众会听到并看到这句话。", "Up to 200 characters. Press Enter or “Say it”: viewers hear it and see the words."),
    "type_button": ("说出来", "Say it"),
    # announcements
    "playing": ("正在播放：{text}", "Playing: {text}"),
    "played": ("已播放：{text}", "Played: {text}"),
    "repeat": ("「{text}」刚刚播放过，没有重复播放。过几秒再按一次就会再说。", "“{text}” was just played, so it was not played again. Press again in a few seconds to repeat it."),
    "unknown": ("没有这句快捷话（可能刚被删掉）：页面已刷新，请再选一次。", "That quick phrase is not there any more (perhaps just removed): the page is refreshed, choose again."),
    "failed": ("没有播放出来：{reason}", "It was not played: {reason}"),
    "offline": ("连不上控制面板：检查 streamkit app 是否还开着，再试一次。", "The control panel cannot be reached: check that streamkit app is still open, then try again."),
    # bad input
    "empty": ("要说的话是空的：在输入框里写一句话，再按「说出来」。", "The words are empty: type a sentence in the box, then press “Say it”."),
    "empty_phrase": ("要说的话是空的：在「要说的话」里写一句，再按「保存」。", "The words are empty: write a sentence under “Words”, then press “Save”."),
    "too_long": ("要说的话太长了（{count} 个字，最多 200 个）：分成几句短的，一句一句说。", "The words are too long ({count} characters, at most 200): split them into shorter sentences."),
    "control_chars": ("要说的话里有看不见的控制字符（例如换行或制表符）：删掉它们，只留文字和标点。", "The words contain invisible control characters (such as a line break or tab): remove them and keep only text and punctuation."),
    "label_too_long": ("按钮上的字太长了（{count} 个字，最多 20 个）：写短一点，例如「欢迎」。", "The button text is too long ({count} characters, at most 20): make it shorter, e.g. “Welcome”."),
    "label_control_chars": ("按钮上的字里有看不见的控制字符：删掉它们。", "The button text contains invisible control characters: remove them."),
    # editing
    "own_heading": ("我的快捷话", "My phrases"),
    "own_lead": ("这些话保存在配置文件 {path} 的 [[speech.phrases]] 里，文件里原有的注释会保留。",
                 "These are kept in the config file {path} under [[speech.phrases]]; comments in the file are kept."),
    "own_empty": ("还没有自己的快捷话。", "No phrases of your own yet."),
    "catalog_note": ("商品快捷话（「3号 新疆蜂蜜，到手价49.9元，点击下方小黄车」这样的）来自商品目录，请到商品页修改：",
                     "Product phrases (such as “3号 新疆蜂蜜，到手价49.9元，点击下方小黄车”) come from the catalog; change them on the products page:"),
    "catalog_link": ("去商品页", "Go to the products page"),
    "session_note": ("正在直播：这里改的快捷话，按钮马上能用；手势绑定要下次开播才认得新快捷话。",
                     "A session is running: changed phrases work from the buttons at once; gesture bindings know new phrases from the next session."),
    "col_key": ("按键", "Key"),
    "col_label": ("按钮上的字", "Button"),
    "col_text": ("要说的话", "Words"),
    "col_actions": ("操作", "Actions"),
    "edit": ("修改", "Change"),
    "edit_label": ("修改：{label}", "Change: {label}"),
    "remove": ("删除", "Remove"),
    "remove_label": ("删除：{label}", "Remove: {label}"),
    "add_heading": ("添加一句快捷话", "Add a quick phrase"),
    "change_heading": ("修改快捷话", "Change the quick phrase"),
    "f_text": ("要说的话", "Words"),
    "f_text_hint": ("说进直播的整句话，最多 200 个字，例如：欢迎来到直播间，喜欢的点个关注", "The whole sentence said into the stream, up to 200 characters, e.g. Welcome to the stream!"),
    "f_label": ("按钮上的字（可不填）", "Button text (optional)"),
    "f_label_hint": ("最多 20 个字；不填就显示这句话的开头", "Up to 20 characters; empty shows the start of the words"),
    "save": ("保存", "Save"),
    "cancel": ("取消修改", "Cancel the change"),
    "errors_title": ("有问题需要改一下", "There is a problem"),
    "added": ("已添加快捷话：{label}", "Added the quick phrase: {label}"),
    "changed": ("已保存修改：{label}", "Saved the change: {label}"),
    "removed": ("已删除快捷话：{label}", "Removed the quick phrase: {label}"),
    "gone": ("这句快捷话已经不在配置文件里了（可能在别处改过）：页面已刷新。", "That phrase is no longer in the config file (perhaps changed elsewhere): the page is refreshed."),
    "full": ("快捷话最多 60 句：先删掉不用的，再添加。", "At most 60 phrases: remove one you do not use, then add."),
    "not_saved": ("没有保存，配置文件没有改动：{reason}", "Not saved; the config file is unchanged: {reason}"),
}


_WORDS = PageWords(TEXT)
text = _WORDS.text
all_text = _WORDS.all_text

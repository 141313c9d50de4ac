"""UI strings of the review app in Simplified Chinese (default) and English."""

from __future__ import annotations

LANGUAGES = ("zh-CN", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"zh-CN": "直播复盘", "en": "Stream review"},
    "sessions": {"zh-CN": "场次列表", "en": "Sessions"},
    "no_sessions": {"zh-CN": "还没有可以查看的场次。", "en": "No sessions to show yet."},
    "started": {"zh-CN": "开始时间", "en": "Started"},
    "duration": {"zh-CN": "时长", "en": "Duration"},
    "lines": {"zh-CN": "字幕行数", "en": "Transcript lines"},
    "n_lines": {"zh-CN": "{n} 行字幕", "en": "{n} transcript lines"},
    "comments": {"zh-CN": "教练点评", "en": "Coach comments"},
    "transcript": {"zh-CN": "逐字稿", "en": "Transcript"},
    "search": {"zh-CN": "搜索逐字稿…", "en": "Search the transcript…"},
    "matches": {"zh-CN": "处匹配", "en": "matches"},
    "timeline": {"zh-CN": "时间轴", "en": "Timeline"},
    "lane_speech": {"zh-CN": "说话/冷场", "en": "Speech/silence"},
    "lane_scenes": {"zh-CN": "场景", "en": "Scenes"},
    "lane_products": {"zh-CN": "商品讲解", "en": "Products"},
    "lane_gestures": {"zh-CN": "手势", "en": "Gestures"},
    "lane_marks": {"zh-CN": "标记", "en": "Marks"},
    "lane_comments": {"zh-CN": "点评", "en": "Comments"},
    "metrics": {"zh-CN": "数据", "en": "Metrics"},
    "rate": {"zh-CN": "语速（每分钟）", "en": "Speaking rate per minute"},
    "rate_note": {"zh-CN": "虚线是主播自己的常态语速（中位数），不是统一标准。浅色柱表示明显低于常态。",
                  "en": "The dashed line is the streamer's own usual pace (median), not a fixed standard. Light bars are well below it."},
    "baseline_streamer": {"zh-CN": "常态（往期场次）", "en": "usual (past sessions)"},
    "baseline_session": {"zh-CN": "常态（本场）", "en": "usual (this session)"},
    "dead_air": {"zh-CN": "冷场", "en": "Dead air"},
    "dead_air_note": {"zh-CN": "连续 {s} 秒以上没有说话，共 {n} 处，合计 {total}。",
                      "en": "Silences of {s} s or more: {n}, {total} in all."},
    "dead_air_chart": {"zh-CN": "每分钟冷场秒数", "en": "Dead-air seconds per minute"},
    "products": {"zh-CN": "商品讲解", "en": "Product segments (讲解)"},
    "no_products": {"zh-CN": "本场没有商品卡片。", "en": "No product cards in this session."},
    "shown_times": {"zh-CN": "展示 {n} 次", "en": "shown {n}×"},
    "fillers": {"zh-CN": "口头禅", "en": "Filler words"},
    "fillers_note": {"zh-CN": "共 {n} 次，约每百{unit} {per} 次。", "en": "{n} in all, about {per} per 100 {unit}."},
    "latency": {"zh-CN": "字幕延迟", "en": "Caption latency"},
    "latency_note": {"zh-CN": "中位数 {p50} 秒，P90 {p90} 秒（{n} 条字幕）。", "en": "p50 {p50} s, p90 {p90} s ({n} captions)."},
    "commands": {"zh-CN": "语音指令", "en": "Voice commands"},
    "commands_note": {"zh-CN": "成功 {ok} 次，未识别 {bad} 次（成功率 {pct}）；手势触发 {g} 次；OBS 操作失败 {f} 次。",
                      "en": "{ok} succeeded, {bad} rejected ({pct} success); {g} gesture triggers; {f} failed OBS actions."},
    "add_comment": {"zh-CN": "添加点评", "en": "Add comment"},
    "comment_here": {"zh-CN": "在 {t} 处点评", "en": "Comment at {t}"},
    "range_from": {"zh-CN": "从", "en": "From"},
    "range_to": {"zh-CN": "到（可选）", "en": "To (optional)"},
    "use_now": {"zh-CN": "当前时间", "en": "Now"},
    "post": {"zh-CN": "发表", "en": "Post"},
    "reply": {"zh-CN": "回复", "en": "Reply"},
    "edit": {"zh-CN": "编辑", "en": "Edit"},
    "save": {"zh-CN": "保存", "en": "Save"},
    "cancel": {"zh-CN": "取消", "en": "Cancel"},
    "delete": {"zh-CN": "删除", "en": "Delete"},
    "confirm_delete": {"zh-CN": "确定删除这条点评？", "en": "Delete this comment?"},
    "resolved": {"zh-CN": "已解决", "en": "Resolved"},
    "mark_resolved": {"zh-CN": "标为已解决", "en": "Mark resolved"},
    "reopen": {"zh-CN": "重新打开", "en": "Reopen"},
    "deleted": {"zh-CN": "（已删除）", "en": "(deleted)"},
    "edited": {"zh-CN": "（已编辑）", "en": "(edited)"},
    "no_comments": {"zh-CN": "还没有点评。", "en": "No comments yet."},
    "export": {"zh-CN": "导出", "en": "Export"},
    "report_html": {"zh-CN": "复盘报告（HTML）", "en": "Report (HTML)"},
    "report_pdf": {"zh-CN": "复盘报告（PDF）", "en": "Report (PDF)"},
    "share": {"zh-CN": "分享给教练", "en": "Share with coaches"},
    "shared_with": {"zh-CN": "已分享给", "en": "Shared with"},
    "coach_name": {"zh-CN": "教练用户名", "en": "Coach user name"},
    "unshare": {"zh-CN": "取消分享", "en": "Unshare"},
    "login": {"zh-CN": "登录", "en": "Log in"},
    "logout": {"zh-CN": "退出", "en": "Log out"},
    "username": {"zh-CN": "用户名", "en": "User name"},
    "password": {"zh-CN": "密码", "en": "Password"},
    "bad_login": {"zh-CN": "用户名或密码不正确，请重试。", "en": "Wrong user name or password — try again."},
    "forbidden": {"zh-CN": "这个场次没有分享给你。请主播在场次页面“分享给教练”。",
                  "en": "This session is not shared with you. Ask the streamer to share it from the session page."},
    "not_found": {"zh-CN": "找不到这个场次。", "en": "No such session."},
    "problems": {"zh-CN": "读取场次时的提示", "en": "Notes from reading this session"},
    "no_media": {"zh-CN": "本场没有录像或音频。", "en": "This session has no video or audio."},
    "report_title": {"zh-CN": "直播复盘报告", "en": "Stream review report"},
    "language": {"zh-CN": "English", "en": "中文"},
    "back": {"zh-CN": "返回列表", "en": "All sessions"},
    "by": {"zh-CN": "作者", "en": "by"},
    "at": {"zh-CN": "时间点", "en": "at"},
    "signed_in_as": {"zh-CN": "当前用户", "en": "Signed in as"},
    "local_owner": {"zh-CN": "本机", "en": "this computer"},
    "error_empty": {"zh-CN": "点评内容不能为空。", "en": "The comment is empty."},
    "error_too_long": {"zh-CN": "点评太长：{n} 字，上限 {max} 字。请缩短后再发。",
                       "en": "The comment is too long: {n} characters, the limit is {max}. Shorten it and post again."},
    "error_csrf": {"zh-CN": "页面已过期（缺少安全令牌），请刷新后重试。",
                   "en": "The page is out of date (security token missing) — reload it and try again."},
    "error_not_author": {"zh-CN": "只能修改或删除自己的点评。", "en": "You can only change or delete your own comments."},
    "error_network": {"zh-CN": "保存失败，请检查网络后重试。", "en": "Could not save — check the connection and try again."},
    "error_time": {"zh-CN": "点评时间不对：请填写录像中的时间（0 到 {max} 秒之间），例如 1:05。",
                   "en": "The comment time is not usable: give a moment in the recording (0 to {max} s), e.g. 1:05."},
    "error_number": {"zh-CN": "{field} 必须是数字。", "en": "{field} must be a number."},
    "error_bad_request": {"zh-CN": "请求内容无法使用：{why}。", "en": "The request cannot be used: {why}."},
    "error_too_large": {"zh-CN": "请求太大：上限 {max} 字节。请缩短后再发。",
                        "en": "The request is too large: the limit is {max} bytes. Send less."},
    "login_throttled": {"zh-CN": "登录失败次数太多，请 {s} 秒后再试。",
                        "en": "Too many failed logins — try again in {s} seconds."},
    "events_unreadable": {"zh-CN": "有 {n} 条事件无法读取，已跳过；其余内容照常显示。",
                          "en": "{n} events could not be read and were skipped; the rest of the session is shown."},
    "words": {"zh-CN": "词", "en": "words"},
    "chars": {"zh-CN": "字", "en": "characters"},
    "minute_axis": {"zh-CN": "分钟", "en": "min"},
}


def pick_language(value: str | None, default: str = "zh-CN") -> str:
    """A supported language tag from a cookie/query value, else ``default``."""
    if value in LANGUAGES:
        return value  # type: ignore[return-value]
    if value and value.lower().startswith("en"):
        return "en"
    if value and value.lower().startswith("zh"):
        return "zh-CN"
    return default


def translator(lang: str):  # noqa: ANN201 - a small closure used by templates
    """``t(key, **fmt)`` for ``lang``; unknown keys show the key itself."""

    def t(key: str, **fmt: object) -> str:
        text = STRINGS.get(key, {}).get(lang) or STRINGS.get(key, {}).get("en") or key
        return text.format(**fmt) if fmt else text

    return t

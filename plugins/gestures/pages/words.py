"""The words of the gestures pages, Simplified Chinese first, then English; the names of signs, face
gestures and actions for people. Keys starting with ``js_`` are also handed to the pages' script."""

from __future__ import annotations

from .. import face, signs

Texts = dict[str, str]


def _(zh: str, en: str) -> Texts:
    return {"zh-CN": zh, "en": en}


#: Names only, no emoji: many fonts lack them (an empty box), and screen readers read them out at length.
SIGN_NAMES: dict[str, Texts] = {
    "open_palm": _("张开手掌", "open palm"), "fist": _("握拳", "fist"),
    "thumbs_up": _("竖大拇指", "thumbs up"), "thumbs_down": _("大拇指朝下", "thumbs down"),
    "victory": _("剪刀手", "victory"), "pointing_up": _("食指朝上", "pointing up"),
    "i_love_you": _("“我爱你”手势", "I love you"), "call": _("打电话手势", "call"),
    "rock": _("摇滚手势", "rock"), "ok": _("OK 手势", "OK"),
}
SIGN_HOW: dict[str, Texts] = {
    "open_palm": _("五个手指都伸开", "all five fingers stretched out"),
    "fist": _("手指全部握起，大拇指收在里面", "all fingers curled, thumb in"),
    "thumbs_up": _("大拇指伸出朝上，其余手指握起", "thumb out and up, fingers curled"),
    "thumbs_down": _("大拇指伸出朝下，其余手指握起", "thumb out and down, fingers curled"),
    "victory": _("食指和中指伸出", "index and middle finger out"),
    "pointing_up": _("食指伸出朝上", "index finger out, pointing up"),
    "i_love_you": _("大拇指、食指和小指伸出", "thumb, index and little finger out"),
    "call": _("大拇指和小指伸出", "thumb and little finger out"),
    "rock": _("食指和小指伸出，大拇指收起", "index and little finger out, thumb in"),
    "ok": _("大拇指尖碰食指尖，其余手指伸出", "thumb tip on index tip, other fingers out"),
}
FACE_NAMES: dict[str, Texts] = {
    "smile": _("微笑", "smile"), "mouth_open": _("张嘴", "open mouth"), "brows_raised": _("扬眉", "raise eyebrows"),
    "long_blink": _("闭眼一会儿", "long blink"), "head_tilt_left": _("头向左肩歪", "tilt head left"),
    "head_tilt_right": _("头向右肩歪", "tilt head right"),
}
ACTION_NAMES: dict[str, Texts] = {
    "scene": _("切换到场景", "Switch to scene"), "show_source": _("显示来源", "Show a source"),
    "hide_source": _("隐藏来源", "Hide a source"), "toggle_source": _("显示/隐藏来源", "Show or hide a source"),
    "product_show": _("上指定商品", "Show product number"), "product_next": _("下一个商品", "Next product"),
    "product_previous": _("上一个商品", "Previous product"), "product_hide": _("收起商品卡", "Hide the product card"),
    "record_start": _("开始录制", "Start recording"), "record_stop": _("停止录制", "Stop recording"),
    "stream_start": _("开始直播", "Start streaming"), "stream_stop": _("停止直播", "Stop streaming"),
    "mute": _("静音", "Mute"), "unmute": _("取消静音", "Unmute"),
    "pause_triggers": _("暂停所有手势触发", "Pause all triggers"), "resume_triggers": _("恢复手势触发", "Resume triggers"),
    "session_start": _("开始本场", "Start the session"), "session_stop": _("结束本场", "Stop the session"), "mark_moment": _("标记这一刻给教练", "Mark a moment for the coach"),
    "request": _("OBS 请求（高级）", "OBS request (advanced)"), "say_phrase": _("说一句快捷话", "Say a quick phrase"),
}
#: The actions offered in the page's lists, grouped as they are shown.
ACTION_GROUPS: list[tuple[Texts, tuple[str, ...]]] = [
    (_("场景", "Scenes"), ("scene", "show_source", "hide_source", "toggle_source")),
    (_("商品", "Products"), ("product_next", "product_previous", "product_show", "product_hide")),
    (_("录制和直播（要确认）", "Recording and streaming (confirmed)"), ("record_start", "record_stop", "stream_start", "stream_stop")),
    (_("声音", "Sound"), ("mute", "unmute")),
    (_("控制", "Control"), ("session_start", "session_stop", "pause_triggers", "resume_triggers", "mark_moment")),
    (_("替我说话", "Speak for me"), ("say_phrase",)),
]

WORDS: dict[str, Texts] = {
    "title": _("手势和表情", "Hands and face"),
    "lead": _("用你自己能做的手势或表情控制直播：切场景、上商品、静音、暂停。", "Control the stream with signs and face gestures you can make: scenes, products, mute, pause."),
    "session_note": _("本场正在进行：这里的改动从下一场开始生效。", "A session is running: changes here apply from the next session."),
    "off_note": _("手势控制现在是关闭的：在设置向导里选一个摄像头就会打开。", "Gesture control is off: choosing a camera in the set-up turns it on."),
    "setup_link": _("打开设置向导的摄像头一步", "Open the camera step of the set-up"),
    # overview
    "my_signs": _("我的手势", "My signs"),
    "no_signs": _("还没有录入自己的手势。", "No signs of your own yet."),
    "samples_n": _("{n} 个样本", "{n} samples"),
    "forget": _("删除", "Remove"),
    "forget_label": _("删除手势 {name}", "Remove sign {name}"),
    "forgotten": _("已删除手势 {name}。", "Removed sign {name}."),
    "enrol_link": _("录入新手势", "Record a new sign"),
    "rest_heading": _("休息时的手", "Resting hands"),
    "rest_none": _("还没有录：手放在桌上或腿上时，可能会被误认成手势。", "Not recorded: hands resting on the desk or lap may be read as a sign."),
    "rest_some": _("已录 {n} 个样本：休息时的手不会触发手势。", "{n} samples recorded: resting hands never fire a sign."),
    "rest_link": _("录制休息时的手", "Record your resting hands"),
    "face_heading": _("表情", "Face"),
    "face_none": _("还没有记录放松的脸：表情的分数从默认值算起。", "No relaxed face recorded: face scores count from the defaults."),
    "face_done": _("已记录放松的脸。", "Your relaxed face is recorded."),
    "face_link": _("校准表情和灵敏度", "Calibrate the face and sensitivity"),
    "bindings_heading": _("手势对应的动作", "What each gesture does"),
    "bindings_n": _("已设置 {n} 条。", "{n} set."),
    "bindings_link": _("设置手势对应的动作", "Choose what each gesture does"),
    "test_heading": _("测试", "Test"),
    "test_link": _("测试：看看认出了什么", "Test: see what is recognised"),
    "builtin_heading": _("内置手势", "Built-in signs"),
    "colon": _("：", ": "),
    # camera
    "source_legend": _("画面从哪里来", "Where the picture comes from"),
    "source_obs": _("OBS 里的摄像头（{name}）", "The camera in OBS ({name})"),
    "source_obs_pick": _("OBS 里的摄像头", "The camera in OBS"),
    "source_obs_which": _("OBS 里的哪个来源？", "Which OBS source?"),
    "source_obs_none": _("列不出 OBS 的来源：OBS 没有连上。", "OBS's sources cannot be listed: OBS is not connected."),
    "source_browser": _("这台电脑的摄像头（浏览器）", "This computer's camera (browser)"),
    "source_browser_hint": _("OBS 正在用摄像头时，浏览器可能打不开它：请选 OBS 里的摄像头。", "When OBS uses the camera the browser may not open it: choose the camera in OBS."),
    "preview_heading": _("摄像头画面", "Camera picture"),
    "preview_start": _("打开摄像头画面", "Show the camera picture"),
    "preview_stop": _("关闭摄像头画面", "Hide the camera picture"),
    "preview_video": _("摄像头画面", "Camera picture"),
    "preview_obs": _("OBS 摄像头来源的画面", "The OBS camera source's picture"),
    "seen_heading": _("画面里有什么", "What the camera sees"),
    "seen_idle": _("摄像头画面打开后，这里用文字说明看到了什么。", "Once the camera picture is on, this says in words what is seen."),
    "seen_no_hand": _("没有看到手。", "No hand seen."),
    "seen_hands": _("看到 {n} 只手：{what}。", "{n} hand(s) seen: {what}."),
    "seen_sign": _("认出 {name}，把握 {percent}%", "{name}, {percent}% sure"),
    "seen_resting": _("是休息的手，不会触发", "resting, so they never fire"),
    "seen_no_sign": _("没有认出手势", "no sign recognised"),
    "seen_no_face": _("没有看到脸。", "No face seen."),
    "seen_face_plain": _("看到脸，没有做出表情。", "A face, with no face gesture."),
    "seen_face": _("看到脸：{what}。", "A face: {what}."),
    # enrol
    "enrol_title": _("录入新手势", "Record a new sign"),
    "enrol_lead": _("做一个你能稳定保持的手势。倒数结束时拍一张，一共拍几张。", "Make a sign you can hold steadily. A picture is taken when the countdown ends, a few times."),
    "rest_title": _("录制休息时的手", "Record your resting hands"),
    "rest_lead": _("像直播时那样把手放着：放在桌上、腿上，或随便动动。这样休息的手就不会触发手势。", "Rest your hands as you do while streaming: on the desk, in your lap, fidgeting. Then resting hands never fire a sign."),
    "sign_name": _("手势名称", "Name of the sign"),
    "sign_name_hint": _("用字母、数字、汉字、_ 或 -，例如 挥手 或 my_wave。", "Letters, digits, Chinese characters, _ or -, e.g. 挥手 or my_wave."),
    "samples_legend": _("拍几张", "How many pictures"),
    "samples_n_option": _("{n} 张", "{n}"),
    "countdown_legend": _("每张之前倒数", "Countdown before each picture"),
    "seconds_n": _("{n} 秒", "{n} seconds"),
    "add_legend": _("已有这个手势时", "If the sign exists already"),
    "add_replace": _("替换原来的样本", "Replace its samples"),
    "add_more": _("加到原来的样本里", "Add to its samples"),
    "enrol_start": _("开始录入", "Start recording samples"),
    "rest_start": _("开始录制休息姿势", "Start recording resting hands"),
    "enrol_stop": _("停止", "Stop"),
    "samples_heading": _("每张的结果", "Each picture"),
    "countdown_heading": _("倒数", "Countdown"),
    "error_name_empty": _("请输入手势名称。", "Enter a name for the sign."),
    "error_name_bad": _("手势名称 {name} 不能用：请只用字母、数字、汉字、_ 或 -，不要用 none、rest 或表情的名字。", "The name {name} cannot be used: use letters, digits, Chinese characters, _ or -, and not none, rest or a face gesture's name."),
    # test
    "test_title": _("测试：看看认出了什么", "Test: what is recognised"),
    "test_lead": _("做一个手势或表情，这里用大字显示认出了什么、有多大把握。", "Make a sign or a face gesture: this shows in large print what is recognised, and how sure."),
    "test_start": _("开始测试", "Start testing"),
    "test_stop": _("停止测试", "Stop testing"),
    "recognised_heading": _("认出的手势", "Recognised"),
    "nothing_yet": _("还没有开始。", "Not started yet."),
    # face
    "face_title": _("校准表情和灵敏度", "Calibrate the face and sensitivity"),
    "face_lead": _("先记录你放松时的脸，再调每个表情要做到多明显才算数。", "First record your relaxed face, then set how clear each face gesture must be to count."),
    "neutral_heading": _("1. 放松的脸", "1. Your relaxed face"),
    "neutral_hint": _("看着摄像头，放松，不要笑。倒数后记录约 3 秒。", "Look at the camera, relax, don't smile. About 3 seconds are recorded after the countdown."),
    "neutral_start": _("开始记录放松的脸", "Record my relaxed face"),
    "neutral_saved": _("已记录放松的脸：表情的分数从这里算起。", "Your relaxed face is recorded: face scores count from it."),
    "error_title_prefix": _("错误：", "Error: "),
    "sliders_heading": _("2. 每个表情的灵敏度", "2. Sensitivity of each face gesture"),
    "sliders_hint": _("数值越小越灵敏。打开摄像头画面后，每一项都显示现在的分数，以及有没有达到。", "A lower value is more sensitive. With the camera picture on, each shows the score now and whether it is reached."),
    "slider_label": _("{name}：需要的分数", "{name}: score needed"),
    "score_now": _("现在", "now"),
    "reached": _("✓ 达到", "✓ reached"),
    "not_reached": _("✗ 未达到", "✗ not reached"),
    "no_face": _("没有看到脸", "no face seen"),
    "save_sliders": _("保存灵敏度", "Save sensitivity"),
    "sliders_saved": _("灵敏度已保存。", "Sensitivity saved."),
    # bindings
    "bindings_title": _("手势对应的动作", "What each gesture does"),
    "bindings_lead": _("为每个手势或表情选一个动作。做出来并保持一会儿，动作就会执行。", "Choose an action for each sign or face gesture. Make it and hold it a moment, and the action runs."),
    "bindings_empty": _("还没有设置。", "None set yet."),
    "col_gesture": _("手势或表情", "Sign or face gesture"),
    "col_action": _("动作", "Action"),
    "col_remove": _("删除", "Remove"),
    "remove_binding": _("删除：{what}", "Remove: {what}"),
    "add_heading": _("添加一条", "Add one"),
    "gesture_label": _("手势或表情", "Sign or face gesture"),
    "group_personal": _("我的手势", "My signs"),
    "group_builtin": _("内置手势", "Built-in signs"),
    "group_face": _("表情", "Face gestures"),
    "action_label": _("动作", "Action"),
    "scene_label": _("场景", "Scene"),
    "scenes_none": _("列不出 OBS 的场景：OBS 没有连上。请输入场景名称。", "OBS's scenes cannot be listed: OBS is not connected. Type the scene's name."),
    "source_label": _("来源", "Source"),
    "audio_label": _("要静音的声音", "Sound to mute"),
    "audio_none": _("列不出 OBS 的声音来源：OBS 没有连上。请输入来源名称。", "OBS's audio sources cannot be listed: OBS is not connected. Type the source's name."),
    "serial_label": _("商品编号", "Product number"),
    "phrase_label": _("说哪句快捷话", "Which quick phrase"),
    "phrases_none": _("还没有快捷话：先在「快捷话」页添加一句，或导入商品目录。", "No quick phrases yet: add one on the Quick phrases page, or import a catalog."),
    "label_label": _("标记的说明（可不填）", "What to note (optional)"),
    "confirm_note": _("开始/停止录制、直播和结束本场：做完手势后，要在 4 秒内再做一次确认。", "Start/stop recording or streaming and stopping the session: after the gesture, make it again within 4 seconds to confirm."),
    "start_note": _("“开始本场”在没有开场时由控制台看着摄像头：需要选“OBS 里的摄像头”，控制台要开着。", "“Start the session” is watched by the panel while no session runs: it needs the camera in OBS, and the panel open."),
    "add_binding": _("添加", "Add"),
    "binding_added": _("已添加：{what}。", "Added: {what}."),
    "binding_removed": _("已删除：{what}。", "Removed: {what}."),
    "error_gesture": _("请选择一个手势或表情。", "Choose a sign or face gesture."),
    "error_action": _("请选择一个动作。", "Choose an action."),
    "error_scene": _("请选择一个场景。", "Choose a scene."),
    "error_source": _("请选择一个来源。", "Choose a source."),
    "error_audio": _("请选择要静音的声音来源。", "Choose the sound source to mute."),
    "error_phrase": _("选一句快捷话。", "Choose a quick phrase."),
    "error_serial": _("商品编号要是 1 或更大的整数。", "The product number must be a whole number, 1 or more."),
    "error_taken": _("{gesture} 已经用于“{what}”：先删掉那一条，或选另一个手势。", "{gesture} is already used for “{what}”: remove that one first, or choose another gesture."),
    "confirm_suffix": _("（要确认）", " (confirmed)"),
    # script
    "js_countdown": _("{n}", "{n}"),
    "js_get_ready": _("准备：{n} 秒后拍第 {i} 张。", "Get ready: picture {i} in {n} seconds."),
    "js_sample_ok": _("第 {i} 张：{message}", "Picture {i}: {message}"),
    "js_sample_bad": _("第 {i} 张没拍成：{message}", "Picture {i} not taken: {message}"),
    "js_saving": _("正在保存…", "Saving…"),
    "js_stopped": _("已停止，没有保存。", "Stopped, nothing saved."),
    "js_too_many_tries": _("试了很多次都没拍成：请看上面每张的原因，调整后再开始。", "Many tries failed: see the reason for each picture above, adjust, then start again."),
    "js_recognised": _("认出 {name}，把握 {percent}%", "{name}, {percent}% sure"),
    "js_resting": _("休息的手（不会触发）", "resting hands (never fire)"),
    "js_no_sign": _("没有认出手势", "no sign recognised"),
    "js_neutral_taking": _("正在记录放松的脸：第 {i} 帧，共 {n} 帧。", "Recording your relaxed face: frame {i} of {n}."),
    "js_score_now": _("现在", "now"),
    "js_no_face": _("没有看到脸", "no face seen"),
    "js_reached": _("✓ 达到", "✓ reached"),
    "js_not_reached": _("✗ 未达到", "✗ not reached"),
    "js_preview_needed": _("请先打开摄像头画面。", "Show the camera picture first."),
    "js_failed": _("没有完成：", "Not done: "),
    "js_offline": _("连不上 streamkit：它还在运行吗？", "streamkit cannot be reached: is it still running?"),
}


class Words:
    """``w("key", name=value)`` → the sentence in this language; names of signs, gestures and actions."""

    def __init__(self, lang: str) -> None:
        self.lang = "zh-CN" if lang.startswith("zh") else "en"

    def __call__(self, key: str, **values: object) -> str:
        texts = WORDS.get(key)
        if texts is None:
            return key
        text = texts[self.lang]
        return text.format(**values) if values else text

    def gesture(self, name: str) -> str:
        """A sign or face gesture for people (a personal sign is its own name)."""
        texts = SIGN_NAMES.get(name) or FACE_NAMES.get(name)
        return texts[self.lang] if texts else name

    def how(self, name: str) -> str:
        """How a built-in sign is made, in words."""
        texts = SIGN_HOW.get(name)
        return texts[self.lang] if texts else ""

    def action(self, name: str) -> str:
        texts = ACTION_NAMES.get(name)
        return texts[self.lang] if texts else name

    def join(self, items: list[str]) -> str:
        """A list in running text: 微笑、张嘴 / smile, open mouth."""
        return ("、" if self.lang == "zh-CN" else ", ").join(items)

    def group(self, texts: Texts) -> str:
        return texts[self.lang]

    def scripts(self) -> dict[str, str]:
        """The sentences the page's script needs, and the names of every built-in sign and face gesture."""
        out = {key: texts[self.lang] for key, texts in WORDS.items() if key.startswith("js_")}
        out.update({f"g_{name}": self.gesture(name) for name in (*signs.BUILTIN_SIGNS, *face.FACE_GESTURES)})
        return out

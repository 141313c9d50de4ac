"""Word tables of the Mandarin grammar: fillers, particles, guards, verbs by family, feature nouns."""

from __future__ import annotations

import re

from .resolve import Family, Feature


def alt(*words: str) -> str:
    """A regex alternation, longest first so 上链接 wins over 上."""
    return "(?:" + "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True)) + ")"


#: words before a command that add nothing (to the streamer's assistant, to the room)
FILLERS = alt("好的", "好了", "好", "那么", "那我们", "那", "来来来", "来来", "来", "现在", "接下来", "下面", "然后",
              "我们", "咱们", "家人们", "宝宝们", "宝子们", "姐妹们", "兄弟们", "朋友们", "大家", "各位", "给大家",
              "帮我", "给我", "帮忙", "请", "麻烦", "马上", "立刻", "赶紧", "先", "再", "就", "ok", "okay", "嗯", "呃",
              "啊", "哎", "行", "对", "这边", "老铁们", "稍等", "那个")
#: particles after a command ("上链接3号吧", "切到近景啊")
POST = alt("了", "吧", "啊", "呀", "哈", "哦", "喔", "嘛", "啦", "哈哈", "谢谢", "马上", "现在", "走起", "走一波",
           "家人们", "宝宝们", "姐妹们", "朋友们", "大家", "一下吧")
#: words after a product that say "for you to see", not something else ("上链接3号给大家看看")
OBJ_TAIL = alt("给大家看看", "给大家看一下", "大家看看", "看看", "看一下", "给大家", "一下", "上来", "出来", "安排上",
               "上车", "来了", "走起")
OBJ_HEAD = alt("一下", "一个", "个", "这个", "那个", "这款", "那款", "咱们的", "我们的", "咱家的", "我家的", "我的")
#: between the object and a verb after it ("把5号给我弹出来", "手势先停一下")
BEFORE_VERB = alt("给我", "给大家", "帮我", "先", "再", "都", "也")
PRODUCT_NOUN = alt("链接", "宝贝", "商品", "产品", "款")

#: a command is cancelled by these before it (negation, another time, a condition, a question, reported speech,
#: words to viewers)
PREFIX_BLOCK = re.compile(
    r"(?<!不)不(?!错|锈|粘|少)|(?<![识特区分告级类性个派离辨差鉴])别|没|未|甭|勿|已经|刚才|刚刚|之前|昨天|明天|前天|上次|下次|等会|等一会|待会|一会|"
    r"稍后|回头|以后|之后|如果|要是|假如|万一|能不能|是不是|怎么|为什么|什么时候|问|说过|听说|有人|说要|说想|"
    r"你们|(?:你|您|大家|各位|宝宝们|宝子们|家人们|姐妹们|朋友们|兄弟们|老铁们|亲们)"
    r"(?:可以|能|就|都|直接|去|自己|记得|要|赶紧去|快去)|点击|点一下|点开|去点|下单|拍下|准时|每天|每次")
SUFFIX_BLOCK = re.compile(
    r"^的|吗|么|呢|卖完|卖光|售罄|没货|没有|断货|缺货|已经|的时候|的话|之前|之后|以后|怎么样|多少钱|好不好|"
    r"行不行|是不是|过了|不要|不用|别")

#: verbs that open a command, by family ("上链接 3号", "切到 近景", "静音 背景音乐")
VERBS_FIRST: dict[str, Family] = {
    **dict.fromkeys(("上链接", "链接上", "打开链接", "开链接", "弹链接", "挂链接", "上个链接", "给我上链接",
                     "上一下链接", "挂一下链接", "弹一下链接"), Family.SHOW_STRONG),
    **dict.fromkeys(("上一下", "上个", "上", "挂一下", "挂个", "挂上", "挂", "挂车", "弹一下", "弹出", "弹个", "弹",
                     "放一下", "放出", "讲解一下", "讲解", "讲讲", "讲一下", "介绍一下", "介绍", "看一下", "看下",
                     "看看", "瞧一下", "瞧瞧", "来看", "来看看", "来看一下", "展示一下", "展示", "打开", "打开一下",
                     "开一下", "开", "显示", "显示一下", "亮出", "亮一下"), Family.SHOW),
    **dict.fromkeys(("收起", "收一下", "收掉", "关掉", "关闭", "关一下", "隐藏", "隐藏掉", "隐藏一下", "撤掉", "撤下",
                     "拿掉", "去掉", "下掉"), Family.HIDE),
    **dict.fromkeys(("切换到", "切换成", "切换至", "切到", "切至", "切成", "切回到", "切回", "切换回", "换到", "换成",
                     "转到", "跳到", "回到", "给到", "切一下", "切换一下", "切换", "切"), Family.SCENE),
    **dict.fromkeys(("静音", "静音一下"), Family.MUTE),
    **dict.fromkeys(("取消静音", "解除静音"), Family.UNMUTE),
    **dict.fromkeys(("开始", "开启", "启动"), Family.START),
    **dict.fromkeys(("停止", "结束", "停掉", "停一下"), Family.STOP),
    **dict.fromkeys(("暂停", "暂停一下", "停用", "禁用"), Family.PAUSE),
    **dict.fromkeys(("恢复", "继续", "启用", "重新打开", "重新开启"), Family.RESUME),
}
#: verbs that close a command after its object ("3号 挂上来", "蜂蜜 上链接", "二维码 收起来", "录制 开始")
VERBS_LAST: dict[str, Family] = {
    **dict.fromkeys(("上链接", "链接上", "链接上一下", "链接挂上"), Family.SHOW_STRONG),
    **dict.fromkeys(("上一下", "挂上来", "挂上去", "挂上", "挂一下", "挂出来", "挂到小黄车上", "挂到小黄车", "放上来",
                     "放上去", "放出来", "弹出来", "弹一下", "弹出", "上车", "挂车", "安排上", "安排", "上来", "上",
                     "显示", "显示一下", "显示出来", "亮出来", "打开", "打开一下", "开一下", "走起", "开始讲解",
                     "讲解", "讲解一下"), Family.SHOW),
    **dict.fromkeys(("收起来", "收一下", "收掉", "收", "关掉", "关", "关一下", "关闭", "隐藏", "隐藏掉", "隐藏一下",
                     "藏起来", "撤掉", "撤", "撤下", "拿掉", "去掉", "下掉"), Family.HIDE),
    **dict.fromkeys(("静音", "静音一下"), Family.MUTE),
    **dict.fromkeys(("开始", "开启", "启动"), Family.START),
    **dict.fromkeys(("停止", "结束", "停一下", "停掉", "停"), Family.STOP),
    **dict.fromkeys(("暂停", "暂停一下", "停用", "禁用"), Family.PAUSE),
    **dict.fromkeys(("恢复", "继续", "启用"), Family.RESUME),
}
#: words that are themselves a command (the whole clause, fillers and particles aside)
FIXED: dict[str, tuple[Family, Feature | None]] = {
    **dict.fromkeys(("关麦", "闭麦", "关一下麦", "静音麦克风"), (Family.MUTE, Feature.MIC)),
    **dict.fromkeys(("开麦", "开一下麦"), (Family.UNMUTE, Feature.MIC)),
    **dict.fromkeys(("开播", "开直播"), (Family.START, Feature.STREAM)),
    **dict.fromkeys(("下播", "关直播"), (Family.STOP, Feature.STREAM)),
    **dict.fromkeys(("开录",), (Family.START, Feature.RECORD)),
    **dict.fromkeys(("停录",), (Family.STOP, Feature.RECORD)),
    **dict.fromkeys(("收起来", "下链接", "取消讲解", "结束讲解", "讲解结束", "下掉链接"), (Family.HIDE, Feature.CARD)),
}
FEATURES: dict[str, Feature] = {
    **dict.fromkeys(("麦克风", "麦", "话筒", "麦克", "我的麦", "我的麦克风"), Feature.MIC),
    **dict.fromkeys(("录制", "录像", "录屏", "录", "录一下"), Feature.RECORD),
    **dict.fromkeys(("直播", "推流", "串流"), Feature.STREAM),
    **dict.fromkeys(("手势", "手势识别", "手势控制", "手势触发", "手势功能", "触发"), Feature.TRIGGERS),
    **dict.fromkeys(("链接", "卡片", "商品卡", "卡", "它", "商品", "宝贝", "弹窗", "讲解卡", "小黄车", "讲解"), Feature.CARD),
}
#: the confirmation step and the status readback: only as a whole clause
CONFIRM = r"(?:是的|好的|对)?(?:(?:确认|确定)(?:一下)?)+(?:开始|录制|直播|执行|吧)?"
CANCEL = r"(?:取消)+(?:吧|操作|掉)?"
STATUS = (r"(?:(?:播报|报|汇报|报告|读|查看|说)(?:一下)?(?:当前|现在的?)?状态|(?:当前|现在)?(?:是)?什么状态|"
          r"(?:当前)?状态(?:播报|报告)?)")
#: scene words that may stand before a scene verb ("画面切到…", "把场景切到…") or around a name
SCENE_SUBJECT = re.compile(r"^(?:把|将)?(?:场景|画面|镜头)(?=切|换|给到|转|跳)")
SCENE_MARK_HEAD = re.compile(r"^(?:场景|画面|镜头)(?:到|为|成|至)?")
SCENE_MARK_TAIL = re.compile(r"(?:这个|那个)?(?:场景|画面|镜头)$")

"""What the streamer reads on the monitor page, in Mandarin (zh-CN) or English."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from streamkit.speech.phrases import QuickPhrase

    from .catalog import Product

MESSAGES: dict[str, dict[str, str]] = {
    "unknown_serial": {
        "zh-CN": "没有 {serial} 号商品（目录里有 {serials} 号），卡片没有上屏",
        "en": "There is no product {serial} (the catalog has {serials}); nothing was shown",
    },
    "too_soon": {
        "zh-CN": "{serial} 号刚刚展示过，{wait} 秒后才能再上",
        "en": "Product {serial} was just on screen; it can be shown again in {wait} s",
    },
    "no_next": {"zh-CN": "已经是最后一个商品了", "en": "That was the last product"},
    "no_previous": {"zh-CN": "已经是第一个商品了", "en": "That was the first product"},
    "no_card_for_flash_sale": {"zh-CN": "先上链接，再开秒杀", "en": "Show a product first, then start the flash sale"},
    "empty_catalog": {"zh-CN": "商品目录是空的，先检查商品目录文件", "en": "The product catalog is empty; check the catalog file"},
    "shown": {"zh-CN": "已上屏：{serial} 号 {name}", "en": "On screen: product {serial} {name}"},
    "hidden": {"zh-CN": "商品卡已收起", "en": "Product card hidden"},
    "flash_sale": {"zh-CN": "秒杀倒计时 {seconds} 秒：{serial} 号 {name}", "en": "Flash sale {seconds} s: product {serial} {name}"},
    "catalog_error": {"zh-CN": "商品目录有错误，继续使用上一版：{error}", "en": "Catalog has errors, the previous one stays in use: {error}"},
    # card labels
    "title": {"zh-CN": "{serial}号 {name}", "en": "#{serial} {name}"},
    "price": {"zh-CN": "¥{price}", "en": "¥{price}"},
    "price_promo": {"zh-CN": "到手价 ¥{promo}   原价 ¥{price}", "en": "Now ¥{promo}   was ¥{price}"},
    "sold_out": {"zh-CN": "已售罄", "en": "Sold out"},
    "countdown": {"zh-CN": "秒杀倒计时 {clock}", "en": "Flash sale {clock}"},
    "countdown_over": {"zh-CN": "秒杀结束", "en": "Flash sale over"},
    "flash_label": {"zh-CN": "秒杀", "en": "Flash sale"},
    # quick phrases spoken into the stream for a seller who cannot speak
    "phrase": {"zh-CN": "{serial}号 {name}，到手价{price}元，点击下方小黄车",
               "en": "Number {serial}, {name}, now {price} yuan. Tap the yellow cart below."},
    "phrase_label": {"zh-CN": "{serial}号 {name}", "en": "#{serial} {name}"},
    "catalog_loaded": {"zh-CN": "商品目录已更新：{count} 个商品", "en": "Catalog updated: {count} products"},
}


def message(key: str, language: str, **values: Any) -> str:
    """The message ``key`` in ``language`` ("zh-CN" or "en"; "zh" counts as "zh-CN")."""
    lang = "zh-CN" if language.startswith("zh") else "en"
    return MESSAGES[key][lang].format(**values)


def serial_ranges(serials: list[int], language: str = "en") -> str:
    """``[1, 2, 3, 5, 7, 8]`` → ``"1–3, 5, 7–8"`` (``"1–3、5、7–8"`` in Chinese)."""
    out: list[str] = []
    start = prev = None
    for s in sorted(serials):
        if start is None:
            start = prev = s
        elif s == prev + 1:  # type: ignore[operator]
            prev = s
        else:
            out.append(f"{start}–{prev}" if prev != start else f"{start}")
            start = prev = s
    if start is not None:
        out.append(f"{start}–{prev}" if prev != start else f"{start}")
    return ("、" if language.startswith("zh") else ", ").join(out)


def product_phrase(product: "Product", language: str) -> "QuickPhrase":
    """The quick phrase of a product: its number, name and price to pay (the promotion price when it has one)."""
    from streamkit.speech.phrases import QuickPhrase

    from .catalog import format_price

    price = format_price(product.promo_price if product.promo_price is not None else product.price)
    return QuickPhrase(f"product-{product.serial}",
                       message("phrase", language, serial=product.serial, name=product.name, price=price),
                       message("phrase_label", language, serial=product.serial, name=product.name))

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
    # importing (CLI and panel)
    "import_rejected": {"zh-CN": "「{file}」有 {count} 处问题，什么都没有导入，原来的商品目录没有改动：",
                        "en": "{file} has {count} problem(s); nothing was imported and the catalog is unchanged:"},
    "import_checked": {"zh-CN": "「{file}」可以导入：{count} 个商品（只检查，没有写入）",
                       "en": "{file} can be imported: {count} products (checked only, nothing written)"},
    "import_done": {"zh-CN": "已导入 {count} 个商品，保存到 {path}", "en": "Imported {count} products into {path}"},
    "import_backup": {"zh-CN": "原来的目录留了一份：{path}", "en": "The previous catalog is kept as {path}"},
    "import_set_config": {"zh-CN": "配置文件还没有商品目录：在 [products] 里写上 catalog = \"{path}\"",
                          "en": "Your config names no catalog yet: add catalog = \"{path}\" under [products]"},
}

#: Why a picture was not added: (English, zh-CN); see :class:`~.pictures.PictureError`.
PICTURE_PROBLEMS: dict[str, tuple[str, str]] = {
    "empty": ("The picture is empty — choose another picture", "图片是空的 — 换一张图片再试"),
    "too_large": ("The picture is {size}; the limit is {limit} — choose a smaller picture",
                  "图片有 {size}，超过了 {limit} 的上限 — 换一张小一些的图片"),
    "not_image": ("That file is not a picture — choose a PNG or JPG picture", "这个文件不是图片 — 选一张 PNG 或 JPG 图片"),
    "broken": ("The picture is damaged and cannot be read — choose another picture", "图片已损坏，读不出来 — 换一张图片再试"),
    "format": ("OBS cannot show {format} pictures — use a PNG or JPG picture", "OBS 显示不了 {format} 图片 — 换成 PNG 或 JPG"),
    "too_big": ("The picture is {width}×{height} pixels; the limit is {limit} a side — make it smaller",
                "图片有 {width}×{height} 像素，每边最多 {limit} — 缩小后再试"),
}


def picture_problem(code: str, language: str, **values: Any) -> str:
    """Why a picture was not added, in ``language``."""
    en, zh = PICTURE_PROBLEMS[code]
    return (zh if language.startswith("zh") else en).format(**values)


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


#: What can be wrong with a catalog, by problem code: (English, zh-CN). Places are added by
#: :class:`~streamkit.plugins.products.catalog.Problem` ("row 4, column 'price'" / "第 4 行「价格」列").
CATALOG_PROBLEMS: dict[str, tuple[str, str]] = {
    "empty_file": ("the catalog is empty — expected a header row naming the columns",
                   "文件是空的 — 第一行要写列名（序号、名称、价格……）"),
    "no_header": ("no header row found in the first {rows} rows — write the column names (序号, 名称, 价格, …) in one row",
                  "前 {rows} 行里找不到列名 — 在一行里写上列名（序号、名称、价格……）"),
    "unknown_column": ("unknown column — known: {known}", "不认识这一列 — 认识的列：{known}"),
    "missing_column": ("missing column", "缺少这一列"),
    "missing_column_header": ("missing column ({zh}) — add it to the header", "缺少这一列 — 在列名那一行加上「{zh}」"),
    "extra_cells": ("{cells} cells but the header has {columns} columns",
                    "有 {cells} 格，但列名只有 {columns} 列 — 删掉多出来的格子"),
    "not_a_list": ("expected a list of products (a top-level 'products' list)",
                   "这里应该是商品列表（最外层的 products 列表）"),
    "not_a_table": ("expected a table of columns, got {kind}", "这里应该是一个商品（列名和值），却是 {kind}"),
    "bad_serial": ("'{value}' is not a serial number — write a whole number from 1 up",
                   "'{value}' 不是序号 — 写从 1 开始的整数"),
    "empty_id": ("empty — every product needs an id (SKU)", "是空的 — 每个商品都要有商品ID（货号）"),
    "empty_name": ("empty — every product needs a name", "是空的 — 每个商品都要有名称"),
    "bad_price": ("'{value}' is not a price — write a number like {example}", "'{value}' 不是价格 — 写成 {example}"),
    "bad_promo": ("'{value}' is not a price — write a number like {example}, or leave it empty",
                  "'{value}' 不是价格 — 写成 {example}，或者空着"),
    "promo_above": ("promo price {promo} is above the price {price}",
                    "活动价 {promo} 比原价 {price} 还高 — 改低活动价，或者空着"),
    "image_missing": ("image '{value}' not found at {path}", "找不到图片 '{value}' — 在表格里给这一行重新上传图片，或者清空这一格"),
    "image_not_picture": ("'{value}' is not a picture file ({suffixes})", "'{value}' 不是图片文件（{suffixes}）"),
    "bad_stock": ("'{value}' is not a stock count — write a whole number, or leave it empty",
                  "'{value}' 不是库存数 — 写整数，或者空着"),
    "duplicate": ("duplicate {column} {value} (already used in {first})", "{value} 重复了（{first_zh}已经用过）— 改成别的"),
    "no_products": ("no products — add at least one row under the header", "没有商品 — 在列名下面至少写一行商品"),
    "not_found": ("catalog file not found", "找不到商品目录文件"),
    "not_utf8": ("not UTF-8 text", "不是 UTF-8 文本 — 在 Excel 里另存为「CSV UTF-8」"),
    "bad_json": ("line {line}, column {column}: not valid JSON ({reason})", "第 {line} 行第 {column} 列：不是有效的 JSON（{reason}）"),
    "bad_toml": ("not valid TOML: {reason}", "不是有效的 TOML：{reason}"),
    "unknown_format": ("unknown catalog format '{suffix}'", "不认识的文件类型 '{suffix}' — 用 .xlsx 或 .csv 文件"),
    "formula": ("the formula {formula} has no saved result — open the file in Excel or WPS, save it, and import it again",
                "公式 {formula} 没有算好的结果 — 用 Excel 或 WPS 打开文件保存一次，再导入"),
    "wrong_type": ("{kind} is not {expected} — set the cell's format to General and write {example}",
                   "{kind_zh}不是{expected_zh} — 把这一格设成「常规」格式，写成 {example}"),
    "not_xlsx": ("not an Excel workbook (.xlsx) — save it from Excel or WPS as .xlsx or CSV UTF-8",
                 "不是 Excel 工作簿（.xlsx）— 在 Excel 或 WPS 里另存为 .xlsx 或「CSV UTF-8」再导入"),
    "old_xls": ("an old Excel 97–2003 file (.xls) — save it as .xlsx (Excel: File → Save As → Excel Workbook)",
                "这是旧版 Excel 97–2003 文件（.xls）— 另存为 .xlsx（文件 → 另存为 → Excel 工作簿）再导入"),
    "too_large": ("the file is {size} — the limit is {limit}: import a smaller file",
                  "文件有 {size}，超过了 {limit} 的上限 — 请导入小一些的文件"),
    "not_text": ("neither UTF-8 nor GB18030 text — save it as CSV UTF-8", "既不是 UTF-8 也不是 GBK 文本 — 另存为「CSV UTF-8」"),
}


def catalog_problem(code: str, language: str, **values: Any) -> str:
    """The problem ``code`` of a catalog in ``language``, without its place."""
    en, zh = CATALOG_PROBLEMS[code]
    return (zh if language.startswith("zh") else en).format(**values)

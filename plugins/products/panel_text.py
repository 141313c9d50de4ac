"""The words of the products page of the control panel, Simplified Chinese first, then English."""

from __future__ import annotations

from typing import Any

TEXT: dict[str, tuple[str, str]] = {
    "title": ("商品", "Products"),
    "lead": ("在这里导入、编辑商品目录，给商品配图，看看卡片在直播里的样子。", "Import and edit the product catalog, add pictures, and see each card as it will look on stream."),
    "file_is": ("商品目录文件：", "Catalog file: "),
    "file_new": ("还没有商品目录：导入表格或添加商品后，会保存到 {path}", "No catalog yet: import a sheet or add a product and it is saved to {path}"),
    "file_broken": ("商品目录文件有问题，直播用的还是上一版。在下面的表格里改好，或者重新导入：", "The catalog file has problems; a running session keeps the previous version. Fix them in the table below, or import again:"),
    "wizard_next": ("继续设置", "Continue set-up"),
    # import
    "import_heading": ("导入商品表格", "Import a product sheet"),
    "import_label": ("选择 Excel（.xlsx）或 CSV 文件", "Choose an Excel (.xlsx) or CSV file"),
    "import_hint": ("第一行（或标题下面那一行）写列名：序号、名称、价格、到手价、卖点、图片、别名。导入会替换现在的目录，原来的会留一份备份。",
                    "Headers in the first row (or under a title): 序号/serial, 名称/name, 价格/price, 到手价/promo price, 卖点/selling points, 图片/picture, 别名/aliases. Importing replaces the catalog; the previous one is kept as a backup."),
    "import_button": ("导入", "Import"),
    "import_none": ("先选择一个文件", "Choose a file first"),
    "import_problems": ("「{file}」有 {count} 处问题，什么都没有导入，原来的商品目录没有改动", "{file} has {count} problem(s); nothing was imported and the catalog is unchanged"),
    "import_done": ("已导入 {count} 个商品并保存", "Imported {count} products and saved"),
    "working": ("正在处理……", "Working…"),
    # table
    "table_heading": ("商品列表", "Products"),
    "caption": ("商品目录：{count} 个商品", "Catalog: {count} products"),
    "caption_empty": ("商品目录：还没有商品", "Catalog: no products yet"),
    "col_serial": ("序号", "No."),
    "col_picture": ("图片", "Picture"),
    "col_name": ("名称", "Name"),
    "col_price": ("价格", "Price"),
    "col_promo": ("到手价", "Promo price"),
    "col_points": ("卖点", "Selling points"),
    "col_actions": ("操作", "Actions"),
    "serial_n": ("{n}号", "#{n}"),
    "no_picture": ("无图（文字卡片）", "No picture (text card)"),
    "picture_of": ("{name}的图片", "Picture of {name}"),
    "edit": ("编辑", "Edit"),
    "move_up": ("上移", "Move up"),
    "move_down": ("下移", "Move down"),
    "delete": ("删除", "Delete"),
    "preview": ("预览", "Preview"),
    "add": ("添加商品", "Add a product"),
    "undo": ("撤销删除", "Undo delete"),
    "deleted": ("已删除 {name}。", "Deleted {name}."),
    "restored": ("已恢复 {name}", "Restored {name}"),
    "moved": ("{name} 现在是 {n} 号", "{name} is now #{n}"),
    "row_has_problem": ("这一行有问题", "This row has a problem"),
    # editor
    "edit_heading": ("编辑 {name}", "Edit {name}"),
    "add_heading": ("添加商品", "Add a product"),
    "errors_title": ("有问题，还没有保存", "There is a problem; nothing was saved"),
    "f_serial": ("序号（说“上链接 3 号”里的数字）", "Serial number (the number in “show product 3”)"),
    "f_name": ("名称", "Name"),
    "f_id": ("商品ID（货号）", "Product ID (SKU)"),
    "f_id_hint": ("空着就用序号", "Left empty, the serial is used"),
    "f_price": ("价格（元）", "Price (yuan)"),
    "f_promo": ("到手价（元，可以空着）", "Promo price (yuan, optional)"),
    "f_points": ("卖点", "Selling points"),
    "f_points_hint": ("几个卖点用 | 隔开，例如：12小时保温|一键开盖", "Separate them with |, e.g. keeps hot 12 hours|one-touch lid"),
    "f_aliases": ("别名（口播时可能说的叫法）", "Aliases (what you may call it on stream)"),
    "f_aliases_hint": ("用 | 隔开，例如：杯子|保温瓶", "Separate them with |, e.g. cup|flask"),
    "f_stock": ("库存（可以空着）", "Stock (optional)"),
    "f_link": ("链接码（可以空着）", "Link code (optional)"),
    "f_picture": ("图片", "Picture"),
    "picture_none": ("没有图片：卡片只显示文字", "No picture: the card shows text only"),
    "upload_label": ("上传图片（PNG、JPG、WebP）", "Upload a picture (PNG, JPG, WebP)"),
    "paste_button": ("粘贴图片", "Paste a picture"),
    "paste_hint": ("复制一张图片后，按这个按钮，再按 Ctrl+V（苹果电脑按 ⌘+V）", "Copy a picture, press this button, then Ctrl+V (⌘+V on a Mac)"),
    "paste_ready": ("现在按 Ctrl+V 粘贴图片", "Now press Ctrl+V to paste the picture"),
    "paste_nothing": ("剪贴板里没有图片 — 先复制一张图片", "There is no picture on the clipboard — copy a picture first"),
    "remove_picture": ("去掉图片", "Remove the picture"),
    "picture_added": ("图片已加上（{width}×{height}），保存后生效", "Picture added ({width}×{height}); save to use it"),
    "picture_removed": ("图片已去掉，保存后生效", "Picture removed; save to use it"),
    "save": ("保存", "Save"),
    "cancel": ("取消", "Cancel"),
    "saved": ("已保存 {name}", "Saved {name}"),
    "draft_restored": ("已恢复上次没保存的修改", "Restored the changes you had not saved"),
    "discard_draft": ("放弃这些修改", "Discard these changes"),
    "draft_discarded": ("已放弃没保存的修改", "Unsaved changes discarded"),
    "conflict": ("商品目录文件刚被别处改过，已经重新读取 — 你的修改还在，请再保存一次", "The catalog file was just changed elsewhere and has been read again — your changes are kept; save again"),
    "not_saved": ("没能保存：{reason} — 你的修改还在，解决后再保存一次", "Not saved: {reason} — your changes are kept; save again once that is fixed"),
    "offline": ("连不上 streamkit — 检查它是否还在运行，你的修改还在", "streamkit cannot be reached — check it is still running; your changes are kept"),
    # preview and show
    "preview_heading": ("卡片预览（OBS 里的样子）", "Card preview (as OBS shows it)"),
    "preview_frame": ("商品卡预览", "Product card preview"),
    "preview_of": ("正在预览：{name}", "Previewing: {name}"),
    "preview_none": ("点表格里的“预览”，或在编辑时按“预览卡片”", "Press “Preview” in the table, or “Preview card” while editing"),
    "preview_card": ("预览卡片", "Preview card"),
    "show_now": ("马上上屏", "Show on stream now"),
    "shown": ("已上屏：{name}", "On stream now: {name}"),
    "show_failed": ("没能上屏：{name} — 刚展示过的卡片要等几秒，或者新商品要等目录重新读取（约 1 秒）后再试", "Not shown: {name} — a card just shown needs a few seconds, and a new product needs the catalog to reload (about 1 s)"),
    "no_session": ("还没有开播：在控制台开始直播后，就能在这里直接上屏", "No session is running: start one on the dashboard to show cards from here"),
    "products_off": ("这场直播没有打开商品卡 — 在设置里打开商品功能后重新开播", "Product cards are off in this session — turn the products feature on and start again"),
}


def text(key: str, language: str, **values: Any) -> str:
    """The sentence ``key`` in ``language`` (zh-CN unless English)."""
    zh, en = TEXT[key]
    chosen = en if language == "en" else zh
    return chosen.format(**values) if values else chosen


def all_text(language: str) -> dict[str, str]:
    """Every sentence in ``language``, for the page's script."""
    return {key: text(key, language) for key in TEXT}

"""Draw the sample product pictures (one-off; kept in samples/products/README.md)."""
from PIL import Image, ImageDraw, ImageFont
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
items = [
    ("thermos-cup", "保温杯", (52, 120, 180), "cup"),
    ("earbuds", "蓝牙耳机", (40, 40, 48), "buds"),
    ("noodles", "重庆小面", (200, 60, 40), "bowl"),
    ("scarf", "羊毛围巾", (150, 90, 160), "scarf"),
    ("soap", "手工香皂", (90, 160, 120), "soap"),
    ("tea", "红茶礼盒", (150, 40, 40), "box"),
    ("honey", "土蜂蜜", (220, 160, 30), "jar"),
    ("rice-cooker", "电饭煲", (230, 230, 235), "pot"),
]
for slug, name, color, shape in items:
    img = Image.new("RGB", (480, 480), color)
    d = ImageDraw.Draw(img)
    fg = (255, 255, 255) if sum(color) < 500 else (40, 40, 40)
    d.rounded_rectangle((20, 20, 460, 460), 36, outline=fg, width=6)
    if shape in ("cup", "jar"):
        d.rounded_rectangle((170, 80, 310, 300), 20, fill=fg)
    elif shape in ("bowl", "pot"):
        d.pieslice((120, 60, 360, 300), 0, 180, fill=fg)
    elif shape == "buds":
        d.ellipse((140, 110, 220, 190), fill=fg); d.ellipse((260, 110, 340, 190), fill=fg)
        d.rectangle((170, 180, 190, 290), fill=fg); d.rectangle((290, 180, 310, 290), fill=fg)
    elif shape == "scarf":
        for i in range(5):
            d.rectangle((110 + i * 55, 90, 140 + i * 55, 300), fill=fg)
    else:
        d.rectangle((130, 110, 350, 290), fill=fg)
    font = ImageFont.truetype(FONT, 64)
    w = d.textlength(name, font=font)
    d.text(((480 - w) / 2, 330), name, font=font, fill=fg)
    img.save(f"samples/products/{slug}.png", optimize=True)
    print(slug)

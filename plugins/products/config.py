"""The ``[products]`` section of ``streamkit.toml``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from streamkit.config import Section


class ProductsObsConfig(Section):
    """The native OBS card: text and image sources in one scene (for OBS builds without a browser source)."""

    enabled: bool = Field(True, description="update the native OBS card sources (false: browser overlay only)")
    scene: str = Field("直播间", description="the scene holding the card sources")
    title_source: str = Field("商品卡-名称", description="text source for '3号 商品名' ('' = not used)")
    details_source: str = Field("商品卡-详情", description="text source for prices and selling points ('' = not used)")
    image_source: str = Field("商品卡-图片", description="image source for the product picture ('' = not used)")
    countdown_source: str = Field("商品卡-倒计时", description="text source for the flash-sale countdown ('' = not used)")
    card_item: str = Field("", description="a group or nested scene in `scene` holding all card sources: only it is shown/hidden ('' = show each source)")


class ProductsConfig(Section):
    """Voice-commanded product cards for live selling (直播带货)."""

    catalog: str = Field("", description="product catalog file (.csv, .json or .toml; relative to the config file); '' = products off")
    wake_word: str = Field("", description="say this before a product command (e.g. '小播'); [commands] wake_word, when set, replaces it; '' = none")
    language: Literal["", "zh-CN", "en"] = Field("", description="language of card labels and notices ('' = [session] language)")
    sources: list[str] = Field(default_factory=list, description="caption sources whose speech may give commands ([] = all)")
    min_confidence: float = Field(0.75, ge=0, le=1, description="ignore commands parsed with less confidence than this")
    fire_on_partial: bool = Field(True, description="act on a partial caption as soon as the command is unambiguous")
    name_threshold: float = Field(0.8, ge=0.5, le=1, description="how close a spoken name must sound to a catalog name or alias (0–1)")
    min_display_seconds: float = Field(3.0, ge=0, description="a card stays up at least this long before it is hidden or replaced")
    auto_hide_seconds: float = Field(30.0, ge=0, description="hide the card after this many seconds (0 = never)")
    reshow_gap_seconds: float = Field(10.0, ge=0, description="a hidden card cannot be re-shown by number or name for this long (next/previous and manual always work)")
    flash_sale_default_seconds: int = Field(60, ge=5, le=3600, description="countdown length when a flash sale is started without a duration")
    reload_seconds: float = Field(1.0, gt=0, description="how often to look for changes to the catalog file")
    overlay: bool = Field(True, description="draw the card on the browser-source page /products/card")
    obs: ProductsObsConfig = Field(default_factory=ProductsObsConfig, description="native OBS card sources")

"""The gestures pages in Chromium, keyboard only: enrol a sign from real photos fed as the browser's camera
(Chromium's fake capture) and from a real headless OBS's camera source, record the resting hands, test
what is recognised, calibrate the face, bind gestures to actions — axe-core on every page and state,
at dock width and 200 % zoom, screenshots in zh-CN."""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from streamkit.bundled import samples_dir
from streamkit.testing.helpers import CHROMIUM, CHROMIUM_ARGS, require

from panel_helpers import ARTIFACTS, PanelThread, check_axe, fake_camera_from_photos, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HANDS = samples_dir() / "media" / "hands"
FACES = samples_dir() / "media" / "faces"
SHOTS = Path("/work/brief/shots/panel-gestures")


def photos(label: str) -> list[Path]:
    return sorted((HANDS / label).glob("*.jpg"))


def camera_from_video(video: Path, out: Path, seconds: float, start: float = 0.0) -> Path:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-ss", str(start), "-t", str(seconds), "-i", str(video), "-vf",
                    "scale=640:480,fps=15", "-pix_fmt", "yuv420p", str(out)], check=True)
    return out


@pytest.fixture()
def with_camera(browser: Any) -> Iterator[Any]:
    """``with_camera(y4m)`` → a zh-CN page in a Chromium whose camera shows that file."""
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing", "run: apt-get install chromium")
    launched: list[Any] = []

    def open_page(y4m: Path, width: int = 1280) -> Any:
        chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={y4m}"])
        launched.append(chromium)
        # the pages' CSP forbids string evaluation; the test's own wait_for_function predicates need it
        # (tests/panel/test_panel_csp.py runs the pages under the real policy)
        return chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                    bypass_csp=True).new_page()

    yield open_page
    for chromium in launched:
        chromium.close()


def shot(page: Any, name: str) -> None:
    """A full-page screenshot into .artifacts/panel and the brief's shots folder."""
    (ARTIFACTS).mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"gestures-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / f"{name}.png").write_bytes(path.read_bytes())


def wait_result(page: Any, state: str = "saved", timeout: float = 120_000) -> str:
    """Wait for the capture's result box; on another outcome, fail with what each picture said."""
    page.wait_for_selector("#gx-result[data-state]:not([data-state=''])", timeout=timeout)
    got = page.get_attribute("#gx-result", "data-state")
    assert got == state, f"{got}: {page.inner_text('#gx-result')} / {page.inner_text('#gx-samples') if page.locator('#gx-samples').count() else ''}"
    return page.inner_text("#gx-result")


def open_ready(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", state="attached")


def press(page: Any, selector: str, key: str = "Enter") -> None:
    """Tab to ``selector`` and press ``key`` on it (the keyboard is the only input of these tests)."""
    tab_to(page, selector, limit=80)
    page.keyboard.press(key)


def test_enrol_a_sign_from_the_browser_camera_with_the_keyboard(panel: PanelThread, home: Path, with_camera: Any,
                                                                tmp_path: Path) -> None:
    from streamkit.plugins.gestures.profile import SignProfile

    page = with_camera(fake_camera_from_photos(photos("rock")[:3], tmp_path / "rock.y4m"))
    steps = [p.path for p in panel.host.pages if p.wizard_step]  # the set-up's features' steps, in order
    open_ready(page, f"{panel.url}/setup/more?i={steps.index('/gestures')}")  # this one is the gestures page's
    assert "/gestures/enrol?next=" in page.url
    check_axe(page, "gestures enrol: start")
    shot(page, "enrol-start")
    press(page, "#gx-enrol-start")  # no name yet: said at once, focus on the field
    page.wait_for_selector("#sign-name-error:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "sign-name"
    assert "请输入手势名称" in page.inner_text("#sign-name-error")
    check_axe(page, "gestures enrol: name missing")
    page.keyboard.type("摇滚")
    press(page, "#gx-enrol-start")
    result = wait_result(page)
    assert page.evaluate("document.activeElement.id") == "gx-result"
    assert result.startswith("已保存手势 摇滚（4 个样本）"), result
    assert page.locator("#gx-samples li.gx-ok").count() == 4
    assert page.inner_text("#gx-seen").startswith("看到")  # the preview's text alternative
    check_axe(page, "gestures enrol: saved")
    shot(page, "enrol-saved")
    profile = SignProfile.load(home / "gestures" / "profile.json")
    assert len(profile.signs["摇滚"]) == 4
    press(page, "#gx-next")  # on with the set-up
    page.wait_for_url(lambda url: "/gestures/" not in url)
    assert "/setup/" in page.url


def choose(page: Any, select: str, value: str) -> None:
    """Pick ``value`` in a <select> with the arrow keys (no mouse)."""
    tab_to(page, select, limit=80)
    now, wanted = page.evaluate("""([s, v]) => { const el = document.querySelector(s);
        return [el.selectedIndex, [...el.options].findIndex((o) => o.value === v)]; }""", [select, value])
    assert wanted >= 0, f"{value} is not offered in {select}"
    for _ in range(abs(wanted - now)):
        page.keyboard.press("ArrowDown" if wanted > now else "ArrowUp")
    assert page.input_value(select) == value


def desk_picture(source: Path, out: Path, box: tuple[int, int, int, int] | None = None) -> Path:
    """A 640×480 PNG of ``source`` (cropped to ``box`` first): what an OBS camera source would show."""
    import cv2

    image = cv2.imread(str(source))
    if box is not None:
        x0, y0, x1, y1 = box
        image = image[y0:y1, x0:x1]
    cv2.imwrite(str(out), cv2.resize(image, (640, 480), interpolation=cv2.INTER_CUBIC))
    return out


@pytest.mark.obs
def test_enrol_rest_and_bind_through_the_obs_camera_source(panel: PanelThread, home: Path, obs: Any, page: Any,
                                                           tmp_path: Path) -> None:
    """The streamer's camera is held by OBS: the pages take pictures of OBS's camera source (the default once
    the set-up chose it), scenes and sounds are read live from OBS, and the bindings land in the config."""
    from streamkit.plugins.gestures.profile import SignProfile

    call = desk_picture(photos("call")[0], tmp_path / "call.png")
    resting = desk_picture(photos("call")[2], tmp_path / "rest.png", (224, 378, 384, 498))  # a hand hanging at the side
    obs.client.request("CreateInput", {"sceneName": "直播间", "inputName": "摄像头", "inputKind": "image_source",
                                       "inputSettings": {"file": str(call)}})
    obs.client.request("CreateInput", {"sceneName": "直播间", "inputName": "麦克风", "inputKind": "pulse_input_capture",
                                       "inputSettings": {}})
    (home / "streamkit.toml").write_text(
        f'# written by the set-up\n[obs]\nurl = "{obs.url}"\npassword = "{obs.password}"\n\n'
        '[gestures]\n# the camera OBS holds\nsource = "obs"\nobs_source = "摄像头"\n', encoding="utf-8")

    open_ready(page, f"{panel.url}/gestures/enrol")
    assert page.is_checked("#gx-route-obs") and page.input_value("#gx-obs-source") == "摄像头"
    tab_to(page, "#sign-name")
    page.keyboard.type("电话")
    press(page, "#gx-enrol-start")
    assert wait_result(page).startswith("已保存手势 电话（4 个样本）")
    page.wait_for_selector("#gx-obs:not([hidden])")
    shot(page, "enrol-obs-source")

    obs.client.request("SetInputSettings", {"inputName": "摄像头", "inputSettings": {"file": str(resting)}})
    open_ready(page, f"{panel.url}/gestures/rest")
    check_axe(page, "gestures rest: start")
    press(page, "#gx-enrol-start")
    assert wait_result(page).startswith("已保存 5 个休息姿势样本")
    check_axe(page, "gestures rest: saved")
    shot(page, "rest-saved")
    profile = SignProfile.load(home / "gestures" / "profile.json")
    assert len(profile.signs["电话"]) == 4 and len(profile.rest) == 5

    open_ready(page, f"{panel.url}/gestures/bindings")
    press(page, "#gx-add-binding")  # nothing chosen: the error summary takes focus and links to each field
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check_axe(page, "gestures bindings: errors")
    shot(page, "bindings-errors")
    choose(page, "#gesture", "电话")
    choose(page, "#action", "scene")
    choose(page, "#scene", "商品特写")  # read live from OBS
    press(page, "#gx-add-binding")
    page.wait_for_selector(".notice--ok")
    choose(page, "#gesture", "smile")
    choose(page, "#action", "mute")
    assert page.is_visible("#audio") and not page.is_visible("#scene")  # only what the action needs
    choose(page, "#audio", "麦克风")  # only OBS inputs with sound are offered
    assert page.evaluate("[...document.querySelectorAll('#audio option')].map((o) => o.value)") == ["", "麦克风"]
    press(page, "#gx-add-binding")
    page.wait_for_selector(".notice--ok")
    assert "微笑 → 静音 麦克风" in page.inner_text(".notice--ok")
    check_axe(page, "gestures bindings: two set")
    shot(page, "bindings")
    text = (home / "streamkit.toml").read_text(encoding="utf-8")
    assert "# written by the set-up" in text and "# the camera OBS holds" in text
    assert tomllib.loads(text)["gestures"]["bindings"] == [
        {"gestures": ["电话"], "action": "scene", "scene": "商品特写"},
        {"gestures": ["smile"], "action": "mute", "source": "麦克风"}]
    open_ready(page, f"{panel.url}/gestures")  # the overview says what is set up, in words and symbols
    overview = page.inner_text("main")
    assert "电话 · 4 个样本" in overview and "已录 5 个样本" in overview and "已设置 2 条" in overview
    check_axe(page, "gestures overview: set up")
    shot(page, "overview")


def enrol_from_photos(home: Path, sign: str, pictures: list[Path], rest: list[Path] = ()) -> None:  # type: ignore[assignment]
    """Set up a profile the way the enrol page does (the same functions), from real photos."""
    from streamkit.plugins.gestures.enrol import SignCapture, sample_tracker
    from streamkit.plugins.gestures.frames import read_image
    from streamkit.plugins.gestures.profile import REST, SignProfile

    profile, path = SignProfile(), home / "gestures" / "profile.json"
    with sample_tracker() as tracker:
        for name, shown in ((sign, pictures), (REST, rest)):
            capture = SignCapture(name, wanted=len(shown))
            for picture in shown:
                image = read_image(picture)
                capture.take(image, tracker.detect(image))
            if shown:
                capture.save_to(profile, path)


def test_test_mode_says_what_is_recognised_in_large_print(panel: PanelThread, home: Path, with_camera: Any,
                                                          tmp_path: Path) -> None:
    rock = photos("rock")
    enrol_from_photos(home, "摇滚", rock[:3])
    page = with_camera(fake_camera_from_photos([rock[3]], tmp_path / "held-out-rock.y4m"))
    open_ready(page, f"{panel.url}/gestures/test")
    check_axe(page, "gestures test: start")
    press(page, "#gx-test-toggle")
    page.wait_for_selector("#gx-recognised[data-sign='摇滚']", timeout=60_000)
    assert page.inner_text("#gx-recognised").startswith("认出 摇滚，把握")
    assert page.get_attribute("#gx-test-toggle", "aria-pressed") == "true"
    page.wait_for_function("document.getElementById('announce-polite').textContent.includes('摇滚')", timeout=20_000)
    assert float(page.evaluate("parseFloat(getComputedStyle(document.getElementById('gx-recognised')).fontSize)")) >= 32
    assert "认出 摇滚" in page.inner_text("#gx-seen")  # the preview's text alternative says the same
    check_axe(page, "gestures test: recognising")
    shot(page, "test-mode")
    smiling = with_camera(camera_from_video(FACES / "single_face.mp4", tmp_path / "smile.y4m", seconds=1.4, start=0.8))
    open_ready(smiling, f"{panel.url}/gestures/test")
    press(smiling, "#gx-test-toggle")
    smiling.wait_for_function("document.getElementById('gx-recognised-face').textContent.includes('微笑')", timeout=60_000)
    assert smiling.inner_text("#gx-recognised") == "没有认出手势"


def test_face_calibration_and_sensitivity_sliders(panel: PanelThread, home: Path, with_camera: Any,
                                                  tmp_path: Path) -> None:
    page = with_camera(camera_from_video(FACES / "single_face.mp4", tmp_path / "neutral-face.y4m", seconds=0.5))
    open_ready(page, f"{panel.url}/gestures/face")
    check_axe(page, "gestures face: start")
    press(page, "#gx-neutral")
    assert wait_result(page).startswith("已记录放松的脸")
    assert (home / "gestures" / "neutral.json").exists()
    page.wait_for_function("document.querySelector('[data-gesture=smile] .gx-now').textContent.includes('/')",
                           timeout=30_000)  # the live score against the threshold, in words
    assert "未达到" in page.inner_text("[data-gesture=smile] .gx-now")  # a relaxed face does not smile
    check_axe(page, "gestures face: calibrated, live scores")
    shot(page, "face")
    tab_to(page, "#t-smile", limit=80)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.input_value("#t-smile") == "0.4"
    press(page, ".gx-sliders button[type=submit]")
    page.wait_for_selector(".notice--ok")
    assert tomllib.loads((home / "streamkit.toml").read_text(encoding="utf-8"))["gestures"]["thresholds"]["smile"] == 0.4
    assert float(page.input_value("#t-smile")) == 0.4  # the page shows what was saved


PAGES = {"overview": "", "enrol": "/enrol", "rest": "/rest", "test": "/test", "face": "/face", "bindings": "/bindings"}
TARGETS = "button:not([hidden]), a.button, select, input:not([type=hidden]), .lang-switch a, .nav a"


@pytest.mark.parametrize("width, zoom", [(360, "dock"), (640, "200%")])
def test_every_page_at_dock_width_and_200_percent_zoom(panel: PanelThread, home: Path, browser: Any,
                                                       width: int, zoom: str) -> None:
    """No sideways scrolling, every control at least 44 × 44 px, a visible focus ring, axe-core clean — at
    360 px (an OBS dock) and at 640 px (a 1280 px window zoomed to 200 %); in zh-CN and in English."""
    enrol_from_photos(home, "摇滚", photos("rock")[:3], rest=[])
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    try:
        for name, path in PAGES.items():
            for lang in ("zh-CN", "en"):
                open_ready(page, f"{panel.url}/gestures{path}?lang={lang}")
                what = f"gestures {name} at {zoom} ({lang})"
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"{what}: scrolls sideways"
                small = page.evaluate(f"""[...document.querySelectorAll('{TARGETS}')].filter((el) => el.offsetParent)
                    .map((el) => [el.id || el.name || el.textContent.trim().slice(0, 20), el.getBoundingClientRect()])
                    .filter(([, r]) => r.width < 44 || r.height < 44).map(([n, r]) => `${{n}} ${{Math.round(r.width)}}×${{Math.round(r.height)}}`)""")
                assert not small, f"{what}: targets under 44 px: {small}"
                check_axe(page, what)
                if lang == "zh-CN":
                    shot(page, f"{name}-{'dock' if zoom == 'dock' else 'zoom200'}")
            ring = focus_ring_of_first_controls(page)
            assert all(ring), f"gestures {name}: a control without a visible focus ring"
    finally:
        context.close()


def focus_ring_of_first_controls(page: Any, count: int = 8) -> list[bool]:
    """Tab through the first controls: each shows an outline or a box shadow while it has focus."""
    rings = []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(count):
        page.keyboard.press("Tab")
        rings.append(page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; })()"""))
    return rings


def test_forced_colours_keep_every_state_readable(panel: PanelThread, page: Any) -> None:
    """Windows high contrast (forced colours): axe-core clean and the focus ring still drawn."""
    page.emulate_media(forced_colors="active")
    for name, path in PAGES.items():
        open_ready(page, f"{panel.url}/gestures{path}")
        check_axe(page, f"gestures {name}, forced colours")
        assert all(focus_ring_of_first_controls(page, 4)), name
    shot(page, "bindings-forced-colours")

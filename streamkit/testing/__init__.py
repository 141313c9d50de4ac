"""Test helpers shipped with streamkit, so plugin authors can test against a real OBS."""

from .headless_obs import HeadlessObs, Image, Scene, Text
from .runtime import test_runtime

__all__ = ["HeadlessObs", "Image", "Scene", "Text", "test_runtime"]

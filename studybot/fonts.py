"""The Korean font every chart draws with: NanumGothic, shipped inside the pinned
``koreanize-matplotlib`` package (no system font install). Its file is found without importing
that package (its import changes matplotlib's global settings and uses the deprecated
distutils); the font is registered once, on import of this module, and made the default family
with DejaVu Sans behind it for any symbol it lacks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib
from matplotlib import font_manager

FONT_PACKAGE = "koreanize_matplotlib"
FONT_FILE = "NanumGothic.ttf"


def korean_font() -> str:
    """Register the packaged Korean font and make it matplotlib's default; its family name."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{FONT_PACKAGE} is not installed (requirements.txt pins it)")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # NanumGothic has no U+2212 minus sign
    return name


FONT = korean_font()

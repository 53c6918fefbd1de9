"""The Gradio web app: a Predict tab and a Train tab, in Korean and English.

Only this subpackage and `app.py` import gradio; the rest of charrnn runs without it.
"""

from .blocks import LAUNCH_SETTINGS, build_demo
from .session import AppContext
from .text import I18N

__all__ = ["I18N", "LAUNCH_SETTINGS", "AppContext", "build_demo"]

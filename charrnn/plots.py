"""Pictures of evaluation results, drawn with matplotlib's object API (no pyplot, thread-safe)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from PIL import Image

# Hangul needs a CJK font, and matplotlib (>= 3.6) falls back along this list glyph by glyph.
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans CJK KR", "Noto Sans CJK JP"]


def row_normalize(confusion: pd.DataFrame) -> pd.DataFrame:
    """Divide each gold row by its total, so a row shows where that language's names went."""
    totals = confusion.sum(axis=1).to_numpy(dtype=float)[:, None]
    values = np.divide(confusion.to_numpy(dtype=float), totals, out=np.zeros(confusion.shape), where=totals > 0)
    return pd.DataFrame(values, index=confusion.index, columns=confusion.columns)


def confusion_picture(
    confusion: pd.DataFrame, title: str, gold_title: str, predicted_title: str, dpi: int = 110
) -> Image.Image:
    """Draw a row-normalised confusion matrix with a percentage in every non-zero cell.

    Sized for 18 labels: about 0.5 inch per cell, labels on both axes, the predicted labels
    turned 45 degrees.
    """
    from matplotlib.figure import Figure

    shares = row_normalize(confusion)
    count = len(shares)
    side = max(5.0, 0.5 * count + 2.5)
    figure = Figure(figsize=(side + 1.2, side), dpi=dpi, layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(shares.to_numpy(), cmap="Blues", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(count), labels=list(shares.columns), rotation=45, ha="right", rotation_mode="anchor")
    axes.set_yticks(range(count), labels=list(shares.index))
    # Titles may be Korean. A per-text font list avoids changing matplotlib's global rcParams.
    axes.set_xlabel(predicted_title, fontfamily=FONT_FAMILIES)
    axes.set_ylabel(gold_title, fontfamily=FONT_FAMILIES)
    axes.set_title(title, fontfamily=FONT_FAMILIES)
    for row in range(count):
        for column in range(count):
            share = shares.iat[row, column]
            if share < 0.005:
                continue
            color = "white" if share > 0.6 else "black"
            axes.text(column, row, f"{share * 100:.0f}", ha="center", va="center", fontsize=7, color=color)
    figure.colorbar(image, ax=axes, fraction=0.04, label="%", format=lambda value, _: f"{value * 100:.0f}")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.15)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")

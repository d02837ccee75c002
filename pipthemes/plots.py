"""Charts of theme frequencies (matplotlib, no screen needed)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .export import atomic_path  # noqa: E402

__all__ = ["plot_frequencies", "write_chart"]


def plot_frequencies(freq, *, by, codebook=None, title=None):
    """Draw theme shares by group: grouped bars for up to 4 groups, else a heatmap.

    Parameters
    ----------
    freq : pandas.DataFrame
        Output of :func:`pipthemes.theme_frequencies`.
    by : list of str
        Its group columns.
    codebook : Codebook, optional
        For theme labels and colours.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    by = [by] if isinstance(by, str) else list(by)
    themes = list(dict.fromkeys(freq["theme"]))
    labels = [codebook[t].label for t in themes] if codebook else themes
    data = freq.copy()
    data["group"] = data[by].astype(str).agg(" / ".join, axis=1) if by else "all"
    groups = list(dict.fromkeys(data["group"]))
    grid = (
        data.pivot_table(index="group", columns="theme", values="share", aggfunc="first")
        .reindex(index=groups, columns=themes)
        .astype(float)
    )
    if len(groups) <= 4:
        fig, ax = plt.subplots(figsize=(8, 4.8))
        height = 0.8 / len(groups)
        y = np.arange(len(themes))
        shades = plt.get_cmap("tab10")
        for i, group in enumerate(groups):
            ax.barh(y + i * height, grid.loc[group].to_numpy(), height, label=group, color=shades(i))
        ax.set_yticks(y + 0.4 - height / 2, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share coded")
        ax.legend(title=" / ".join(by) if by else None, fontsize=8, loc="lower right")
    else:
        fig, ax = plt.subplots(figsize=(1.2 * len(themes) + 3, 0.32 * len(groups) + 2))
        image = ax.imshow(np.ma.masked_invalid(grid.to_numpy()), cmap="Blues", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(themes)), labels, rotation=35, ha="right")
        ax.set_yticks(range(len(groups)), groups, fontsize=8)
        for (r, c), value in np.ndenumerate(grid.to_numpy()):
            if not np.isnan(value):
                ax.text(c, r, f"{value:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 else "black")
        fig.colorbar(image, ax=ax, label="share coded")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def write_chart(fig, path):
    """Save ``fig`` as PNG (no timestamps, so the bytes are repeatable) and close it."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path

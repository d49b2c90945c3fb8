"""A figure's pixels: what its canvas holds now, and what a full render of it gives.

The full render goes through ``savefig`` at the figure's own size and dpi, so it
is independent of the painter, which handles ``canvas.draw()`` itself.
"""

import io

import numpy as np


def shown(fig):
    """The canvas's pixels as they are (rows × columns × RGBA)."""
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def full_render(fig):
    """A full render of ``fig`` now, every artist drawn in its order."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="rgba", dpi=fig.dpi)
    width, height = fig.canvas.get_width_height(physical=True)
    return np.frombuffer(buffer.getvalue(), np.uint8).reshape(height, width, 4)


def differing(fig):
    """How many pixels of the canvas differ from a full render."""
    return int((shown(fig) != full_render(fig)).any(axis=-1).sum())

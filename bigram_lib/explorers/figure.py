"""Plot helpers for the explorers: visible characters and a figure that redraws only what changed."""

import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

VISIBLE = {"\n": "↵", " ": "␣", "\t": "⇥"}  # characters that would otherwise print as nothing


def visible(text):
    """The text with newline, space and tab drawn as visible symbols."""
    return "".join(VISIBLE.get(ch, ch) for ch in text)


def _png_chunk(tag, data):
    """One PNG chunk: length, tag, data, CRC of tag and data."""
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def png_rgb(rgb, level=1):
    """(H, W, 3) uint8 pixels as PNG bytes: no row filter and fast zlib, lossless.

    A plot is mostly flat colour, which zlib packs as well unfiltered as PIL's adaptive filters do
    (about the same bytes), in half the time or less; PIL's filter search also slows most on a busy machine.
    """
    h, w, _ = rgb.shape
    rows = np.empty((h, 1 + 3 * w), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (None) for every row
    rows[:, 1:] = rgb.reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, deflate, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), level)) + _png_chunk(b"IEND", b""))


class LiveFigure:
    """A Figure drawn in full once per layout; each later frame redraws only its dynamic artists, as PNG bytes."""

    def __init__(self, fig, dynamic):
        self.fig = fig
        self.dynamic = list(dynamic)  # the artists whose data changes from frame to frame
        self.canvas = FigureCanvasAgg(fig)
        self._backgrounds = {}  # layout key -> the pixels of everything static in that layout

    def png(self, layout=None):
        """Render the figure as PNG bytes; `layout` names the state of its static part (e.g. its y-limit)."""
        background = self._backgrounds.get(layout)
        if background is None:
            for artist in self.dynamic:  # animated artists are left out of a full draw ...
                artist.set_animated(True)
            try:
                self.canvas.draw()
            finally:
                for artist in self.dynamic:  # ... and back to normal, so savefig still shows them
                    artist.set_animated(False)
            self._backgrounds[layout] = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(background)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        rgba = np.asarray(self.canvas.buffer_rgba())  # (H, W, 4) uint8
        return png_rgb(rgba[..., :3])


COURSE_STYLE = {
    "figure.dpi": 100,  # 1 inch = 100 CSS pixels at 100% zoom: a 9-inch figure fits JupyterLab's output width
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
}


def use_course_style():
    """Readable, HiDPI-crisp static figures: 100 dpi, no text under 9 pt, PNGs at twice the pixels."""
    import matplotlib as mpl

    mpl.rcParams.update(COURSE_STYLE)
    from IPython import get_ipython

    if get_ipython() is None:  # a plain script: no inline figures to configure
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("retina")  # stored at 2x, shown at 1x: sharp on HiDPI screens, same size on others

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
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
        + _png_chunk(b"IEND", b"")
    )


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
    """Readable, HiDPI-crisp static figures: 100 dpi, no text under 9 pt, PNGs at twice the pixels, with alt text."""
    import matplotlib as mpl

    mpl.rcParams.update(COURSE_STYLE)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:  # a plain script: no inline figures to configure
        return
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    # stored at 2x, shown at 1x: sharp on HiDPI screens, same size on others
    set_matplotlib_formats("retina")
    png = shell.display_formatter.formatters["image/png"]
    retina = png.lookup_by_type(Figure)

    def png_with_alt(fig):
        data, metadata = retina(fig)
        alt = getattr(fig, ALT, None)
        return data, {
            **metadata,
            **({"alt": alt} if alt else {}),
            FINGERPRINT: fingerprint(fig),
            RENDERER: renderer(),
        }

    png.for_type(Figure, png_with_alt)


ALT = "bigram_alt_text"  # the attribute that carries a figure's alternative text into its stored output
# the output metadata that holds what a figure shows, for the tests to compare
FINGERPRINT = "bigram_figure"
# the matplotlib release (major.minor) that drew the pixels: another one lays text out a little differently
RENDERER = "matplotlib"


def renderer():
    """The running matplotlib's major.minor release, e.g. '3.11'."""
    import matplotlib

    return ".".join(matplotlib.__version__.split(".")[:2])


def _rounded(values, digits=3):
    """Numbers rounded to `digits` significant digits, as text: the same for the same picture on any machine."""
    return ",".join(f"{v:.{digits}g}" for v in np.asarray(values, dtype=float).ravel())


def fingerprint(fig):
    """A short hash of what a figure shows: every text, axis range, line, bar, image and point, rounded.

    Rendering (fonts, antialiasing, PNG bytes) does not enter it, so a new matplotlib keeps it, while a changed
    number, label or curve changes it. The notebook tests compare it with the stored figure's.
    """
    import hashlib

    from matplotlib.collections import Collection
    from matplotlib.image import AxesImage
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    # ticks outside an axis' view are never drawn; some matplotlib releases still call them visible
    unseen = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = 1e-9 * (high - low)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - slack <= tick.get_loc() <= high + slack:
                    unseen.update(id(a) for a in tick.get_children())
    parts = [_rounded(fig.get_size_inches())]
    for artist in fig.findobj(lambda a: a.get_visible() and id(a) not in unseen):
        if isinstance(artist, Text) and artist.get_text():
            parts.append("T" + artist.get_text())
        elif isinstance(artist, Line2D):
            x, y = artist.get_data()
            step = max(1, len(np.atleast_1d(x)) // 50)
            parts.append(
                "L" + _rounded(np.atleast_1d(x)[::step]) + ";" + _rounded(np.atleast_1d(y)[::step])
            )
        elif (
            isinstance(artist, Rectangle)
            and artist.axes is not None
            and artist is not artist.axes.patch
        ):
            parts.append(
                "R"
                + _rounded(
                    [artist.get_x(), artist.get_y(), artist.get_width(), artist.get_height()]
                )
            )
        elif isinstance(artist, AxesImage):
            a = np.asarray(artist.get_array(), dtype=float)
            parts.append("I" + str(a.shape) + _rounded([np.nanmin(a), np.nanmax(a), np.nanmean(a)]))
        elif isinstance(artist, Collection) and len(artist.get_offsets()):
            offsets = np.asarray(artist.get_offsets(), dtype=float)
            parts.append(
                "C" + str(offsets.shape) + _rounded([offsets.min(), offsets.max(), offsets.mean()])
            )
    for ax in fig.axes:
        parts.append("A" + _rounded([*ax.get_xlim(), *ax.get_ylim()]))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def alt_text(fig, text):
    """Give a figure its alternative text: what it shows, with its numbers, for screen readers and the course site.

    The notebook's output stores it beside the PNG (`metadata["image/png"]["alt"]`), where nbconvert, the course
    site and JupyterLab read it. Returns the figure, so a cell can end with `alt_text(fig, "...")`.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(
            f"alternative text must be a non-empty string that says what the figure shows, got {text!r}"
        )
    setattr(fig, ALT, " ".join(text.split()))
    return fig

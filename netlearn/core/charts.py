"""Charts drawn on the server as SVG: the one way Netlearn draws a chart.

A chart is an image with a title and a description (`role="img"`, `aria-labelledby`), and its
figures are also in a table beside it. Nothing reaches the browser but markup: no script and no
third-party request (the site's CSP). An app decides what to draw from figures it may publish;
`Scale` maps values to positions and `Drawing` writes the markup, escaping every text, either
inline in a page (styled by the app's stylesheet through classes) or as an image of its own
(`standalone`, styled by attributes, served with a CSP that forbids script).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
AXIS = "#4b5563"
GRID = "#e5e7eb"
INK = "#1f2937"


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_step(span: float, count: int) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `count` intervals over `span`."""
    if span <= 0:
        return 1.0
    rough = span / max(count, 1)
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return factor * power
    return 10 * power


def label(value: float) -> str:
    """A tick's text: no trailing zeros, no exponent, no float noise (0.30000000000000004 reads
    0.3)."""
    text = f"{round(float(value), 6):f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Scale:
    """Maps values from `low` to `high` linearly onto positions from `start` to `end` (a y axis
    runs from the bottom up, so its `start` is the larger position)."""

    low: float
    high: float
    start: float
    end: float

    @classmethod
    def over(
        cls,
        values: Iterable[float],
        start: float,
        end: float,
        *,
        pad: float = 0.0,
        nice: bool = False,
        count: int = 5,
    ) -> Scale:
        """A scale covering `values`, widened by `pad` (a share of their span) on each side and,
        if `nice`, out to round ticks. Equal values get a span of two around them."""
        values = [float(value) for value in values]
        low, high = min(values), max(values)
        if low == high:
            low, high = low - 1, high + 1
        margin = (high - low) * pad
        low, high = low - margin, high + margin
        if nice:
            step = nice_step(high - low, count)
            low, high = math.floor(low / step) * step, math.ceil(high / step) * step
        return cls(low, high, start, end)

    def __call__(self, value: float) -> float:
        share = (float(value) - self.low) / (self.high - self.low) if self.high != self.low else 0.5
        return self.start + (self.end - self.start) * share

    def ticks(self, count: int = 5) -> list[float]:
        """Round values inside the scale, about `count` of them."""
        step = nice_step(self.high - self.low, count)
        first = math.ceil(self.low / step - 1e-9)
        last = math.floor(self.high / step + 1e-9)
        return [round(index * step, 10) for index in range(first, last + 1)]


@dataclass(frozen=True)
class Frame:
    """The plotting area of a drawing: the margins keep room for the axes and the legend."""

    width: int
    height: int
    left: int = 56
    right: int = 16
    top: int = 40
    bottom: int = 44

    @property
    def x0(self) -> float:
        return self.left

    @property
    def x1(self) -> float:
        return self.width - self.right

    @property
    def y0(self) -> float:
        return self.height - self.bottom

    @property
    def y1(self) -> float:
        return self.top

    def x_scale(self, values, **options) -> Scale:
        return Scale.over(values, self.x0, self.x1, **options)

    def y_scale(self, values, **options) -> Scale:
        return Scale.over(values, self.y0, self.y1, **options)


def _attributes(attributes: dict) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = _number(value)
        parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


class Drawing:
    """An SVG image with its title and description, built element by element."""

    def __init__(
        self,
        width: int,
        height: int,
        *,
        title: str,
        description: str,
        id_prefix: str = "chart",
        standalone: bool = False,
        **attributes,
    ):
        self.width, self.height = width, height
        self.title, self.description = title, description
        self.id_prefix = id_prefix
        self.standalone = standalone
        self.attributes = attributes
        self.elements: list[str] = []

    def _element(self, tag: str, attributes: dict, *, text: str | None = None, tip=None) -> None:
        inner = f"<title>{escape(tip)}</title>" if tip else ""
        if text is not None:
            inner += escape(text)
        if inner:
            self.elements.append(f"<{tag}{_attributes(attributes)}>{inner}</{tag}>")
        else:
            self.elements.append(f"<{tag}{_attributes(attributes)}/>")

    def line(self, x1, y1, x2, y2, **attributes) -> None:
        self._element("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, **attributes})

    def rect(self, x, y, width, height, *, tip: str | None = None, **attributes) -> None:
        box = {"x": x, "y": y, "width": width, "height": height}
        self._element("rect", {**box, **attributes}, tip=tip)

    def circle(self, cx, cy, r, *, tip: str | None = None, **attributes) -> None:
        self._element("circle", {"cx": cx, "cy": cy, "r": r, **attributes}, tip=tip)

    def path(self, d: str, **attributes) -> None:
        self._element("path", {"d": d, **attributes})

    def polyline(self, points: Sequence[tuple[float, float]], **attributes) -> None:
        joined = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
        self._element("polyline", {"points": joined, **attributes})

    def text(self, x, y, content: str, **attributes) -> None:
        self._element("text", {"x": x, "y": y, **attributes}, text=content)

    def marker(self, shape: str, x: float, y: float, size: float, **attributes) -> None:
        """A point drawn as a circle, a square or a diamond: shapes tell series apart without
        colour."""
        if shape == "square":
            self.rect(x - size, y - size, 2 * size, 2 * size, **attributes)
        elif shape == "diamond":
            d = f"M{_number(x)},{_number(y - size * 1.3)} L{_number(x + size * 1.3)},{_number(y)} "
            d += (
                f"L{_number(x)},{_number(y + size * 1.3)} L{_number(x - size * 1.3)},{_number(y)} Z"
            )
            self.path(d, **attributes)
        else:
            self.circle(x, y, size, **attributes)

    def svg(self) -> str:
        title_id, desc_id = f"{self.id_prefix}-title", f"{self.id_prefix}-desc"
        root = {
            "xmlns": "http://www.w3.org/2000/svg" if self.standalone else None,
            "width": self.width if self.standalone else None,
            "height": self.height if self.standalone else None,
            "viewBox": f"0 0 {self.width} {self.height}",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": FONT if self.standalone else None,
            "font-size": 12 if self.standalone else None,
            **self.attributes,
        }
        return (
            f"<svg{_attributes(root)}>"
            f'<title id="{title_id}">{escape(self.title)}</title>'
            f'<desc id="{desc_id}">{escape(self.description)}</desc>'
            + "".join(self.elements)
            + "</svg>"
        )


def axes(
    drawing: Drawing,
    frame: Frame,
    *,
    x_ticks: Sequence[tuple[float, str]],
    y_ticks: Sequence[tuple[float, str]],
    x_title: str,
    y_title: str,
) -> None:
    """Grid lines at the y ticks, both axes with their tick labels, and the axis titles.
    Ticks are (position, text)."""
    for y, text in y_ticks:
        drawing.line(frame.x0, y, frame.x1, y, stroke=GRID)
        drawing.text(
            frame.x0 - 6, y, text, text_anchor="end", dominant_baseline="middle", fill=AXIS
        )
    drawing.line(frame.x0, frame.y1, frame.x0, frame.y0, stroke=AXIS)
    drawing.line(frame.x0, frame.y0, frame.x1, frame.y0, stroke=AXIS)
    for x, text in x_ticks:
        drawing.line(x, frame.y0, x, frame.y0 + 4, stroke=AXIS)
        drawing.text(x, frame.y0 + 16, text, text_anchor="middle", fill=AXIS)
    drawing.text((frame.x0 + frame.x1) / 2, frame.height - 6, x_title, text_anchor="middle")
    middle = (frame.y0 + frame.y1) / 2
    drawing.text(
        14, middle, y_title, text_anchor="middle", transform=f"rotate(-90 14 {_number(middle)})"
    )


def legend(drawing: Drawing, entries: Sequence[tuple[str, str, str]], *, x: float, y: float):
    """One row of (label, colour, marker shape) entries from (x, y)."""
    for text, colour, shape in entries:
        drawing.marker(shape, x + 5, y, 4.5, fill=colour)
        drawing.text(x + 14, y, text, dominant_baseline="middle", fill=INK)
        x += 24 + 6.5 * len(text)


def message(width: int, height: int, text: str, *, title: str) -> str:
    """A chart with nothing to draw says so in words, as an image of its own."""
    drawing = Drawing(width, height, title=title, description=text, standalone=True)
    drawing.text(width / 2, height / 2, text, text_anchor="middle", font_size=14, fill=INK)
    return drawing.svg()

"""Colour arithmetic for the accessibility tests: WCAG 2.1 contrast, colour-vision-deficiency
simulation (Machado, Oliveira and Fernandes 2009, severity 1.0) and CIELAB distance."""

from __future__ import annotations

import math
import re

# Machado et al. 2009, full severity, applied to linear RGB.
DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)
TRITANOPIA = (
    (1.255528, -0.076749, -0.178779),
    (-0.078411, 0.930809, 0.147602),
    (0.004733, 0.691367, 0.303900),
)
PROTANOPIA = (
    (0.152286, 1.052583, -0.204868),
    (0.114503, 0.786281, 0.099216),
    (-0.003882, -0.048116, 1.051998),
)

RGB = tuple[float, float, float]  # 0-255 sRGB


def parse(css: str) -> tuple[RGB, float]:
    """'#rrggbb', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' -> ((r, g, b), alpha)."""
    css = css.strip()
    if css.startswith("#"):
        h = css[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        alpha = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)), alpha
    m = re.fullmatch(r"rgba?\(([^)]*)\)", css)
    assert m, f"not a colour: {css}"
    parts = [p for p in re.split(r"[,\s/]+", m.group(1)) if p]
    alpha = float(parts[3]) if len(parts) > 3 else 1.0
    return (float(parts[0]), float(parts[1]), float(parts[2])), alpha


def over(fg: RGB, alpha: float, bg: RGB) -> RGB:
    """fg at `alpha` composited over an opaque bg."""
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True))


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encode(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)


def luminance(c: RGB) -> float:
    r, g, b = (_linear(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def simulate(c: RGB, matrix) -> RGB:
    lin = [_linear(v) for v in c]
    return tuple(_encode(sum(m * v for m, v in zip(row, lin, strict=True))) for row in matrix)


def lab(c: RGB) -> tuple[float, float, float]:
    r, g, b = (_linear(v) for v in c)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: RGB, b: RGB) -> float:
    """CIE76 distance: about 2.3 is just noticeable; lines need far more than that."""
    return math.dist(lab(a), lab(b))

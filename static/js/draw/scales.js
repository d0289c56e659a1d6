// Colour and width scales shared by the canvas and the legend.
// Signed quantities use blue (negative) and orange (positive): a diverging pair that
// colour-blind readers tell apart, unlike red/green. Activations use one ink ramp, so
// "how lit a neuron is" never competes with "which way the cost moves".

export const NEG = [44, 123, 182]; // #2c7bb6
export const POS = [230, 97, 1]; // #e66101
export const INK = [31, 41, 51]; // #1f2933
export const PAPER = [250, 249, 246];
export const PATH = [106, 61, 154]; // #6a3d9a: a hovered path, distinct from both signs
// Text in the sign colours needs 4.5:1 on paper (the bright pair has about 3.3 and 4.3):
// the same hues, darker, as --pos-text and --neg-text in app.css.
export const POS_TEXT = [168, 71, 0]; // #a84700
export const NEG_TEXT = [31, 106, 165]; // #1f6aa5
// The strongest gradient band of each sign. Bands run from the bright colour (3:1 on paper,
// the least a graphic needs) to these deep shades, so every band stays visible and a
// stronger band is darker as well as wider.
const POS_DEEP = [176, 72, 0]; // #b04800
const NEG_DEEP = [24, 84, 138]; // #18548a
const RAMP_LO = [246, 244, 238];
const RAMP_HI = [36, 52, 71];

export const rgb = (c, a = 1) =>
  a >= 1 ? `rgb(${c[0]},${c[1]},${c[2]})` : `rgba(${c[0]},${c[1]},${c[2]},${+a.toFixed(3)})`;
export const mix = (a, b, t) => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));

// Natural range of each activation; unbounded ones take the layer's own range.
export function activationRange(name, values) {
  if (name === "sigmoid" || name === "softmax") return [0, 1];
  if (name === "tanh") return [-1, 1];
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v == null) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (name === "input") {
    // Inputs in [0, 1] (pixels) or [-1, 1] (the 2-D toys) keep a stable scale as x changes.
    lo = Math.min(lo, lo < 0 ? -1 : 0);
    hi = Math.max(hi, 1);
  }
  return hi - lo < 1e-12 ? [lo, lo + 1] : [lo, hi];
}

// Colours as [r, g, b] (for pixels) and as CSS (for strokes and fills).
const MISSING = [200, 200, 200];
export function activationRgb(v, [lo, hi]) {
  if (v == null) return MISSING;
  const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
  return mix(RAMP_LO, RAMP_HI, t);
}
export const activationRampCss = `linear-gradient(90deg, ${rgb(RAMP_LO)}, ${rgb(RAMP_HI)})`;

// Signed value as a fill: white at 0, full blue/orange at |v| = max (sqrt eases small values in).
export function divergingRgb(v, max) {
  if (v == null || !max) return PAPER;
  const t = Math.sqrt(Math.min(1, Math.abs(v) / max));
  return mix(PAPER, v < 0 ? NEG : POS, t);
}

// Log-magnitude buckets: |v| from max down DECADES decades is split into LEVELS bands;
// smaller values (and exact zeros) fall into one faint neutral band.
export const LEVELS = 6;
export const DECADES = 4;

export function logScale(maxAbs) {
  const top = maxAbs > 0 && Number.isFinite(maxAbs) ? Math.log10(maxAbs) : 0;
  const floor = top - DECADES;
  const step = DECADES / LEVELS;
  return {
    maxAbs,
    top,
    floor,
    // -1: below the floor (faint); 0..LEVELS-1: weakest to strongest.
    level(v) {
      const a = Math.abs(v);
      if (!(a > 0)) return -1;
      const l = Math.floor((Math.log10(a) - floor) / step);
      return l < 0 ? -1 : Math.min(LEVELS - 1, l);
    },
    bounds(level) {
      return [10 ** (floor + level * step), 10 ** (floor + (level + 1) * step)];
    },
  };
}

// Stroke style of a level; `density` < 1 thins dense layers so 23k edges stay readable.
export function levelStyle(level, density = 1) {
  if (level < 0) return { width: 0.5, alpha: 0.1 * Math.max(density, 0.4) };
  const f = (level + 1) / LEVELS;
  // Dense layers stay at or under 1 px: thin strokes rasterise several times faster. At full
  // density every band is opaque (its colour carries the contrast); dense layers fade the
  // weak bands so thousands of overlapping edges do not merge into one block.
  const d = Math.max(density, 0.25);
  return {
    width: (0.75 + 3.25 * f ** 1.6) * d,
    alpha: d * (0.15 + 0.85 * f) ** (1 - Math.min(1, density)),
  };
}

// Colour of a band of one sign (`base` NEG or POS): from the bright colour to its deep shade.
export function levelRgb(base, level) {
  if (level < 0) return INK;
  return mix(base, base === POS ? POS_DEEP : NEG_DEEP, level / (LEVELS - 1));
}

export function densityOf(edgeCount) {
  // Past ~100 edges between two columns, full-width strokes merge into one block of colour.
  return Math.min(1, Math.max(0.2, 10 / Math.sqrt(edgeCount)));
}

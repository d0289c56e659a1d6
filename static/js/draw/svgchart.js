// Small inline SVG charts (the Paths tab's running sum, the Nudge tab's linearity sweep): one
// set-up for both, shapes given as plain numbers. The SVG scales with its box; CSS classes
// (.target, .zero, .run, .dot, .tick) style it. A coordinate that is not a finite number is
// refused rather than drawn somewhere wrong.

const NS = "http://www.w3.org/2000/svg";

function num(v, what) {
  if (!Number.isFinite(v)) throw new Error(`svgChart: ${what} must be a finite number, got ${v}`);
  return +v.toFixed(2);
}

export const hline = (y, cls, x1, x2) =>
  `<line x1="${num(x1, "x1")}" x2="${num(x2, "x2")}" y1="${num(y, "y")}" y2="${num(y, "y")}" class="${cls}"/>`;

export const polyline = (points, cls) =>
  `<polyline points="${points.map(([x, y]) => `${num(x, "x")},${num(y, "y")}`).join(" ")}" class="${cls}"/>`;

export const dot = (x, y, r = 3) =>
  `<circle cx="${num(x, "cx")}" cy="${num(y, "cy")}" r="${r}" class="dot"/>`;

export const tick = (x, y, text) => `<text x="${num(x, "x")}" y="${num(y, "y")}" class="tick">${text}</text>`;

// An <svg role="img"> of width x height user units, labelled for screen readers.
export function svgChart({ width, height, label, shapes }) {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.innerHTML = shapes.join("");
  return svg;
}

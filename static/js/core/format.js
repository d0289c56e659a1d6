// Number formatting shared by the canvas, the panels and the TeX they build.
// null means the API reported a float64 overflow; it prints as "overflow", never as 0.

const MINUS = "\u2212";

export function fmt(v, digits = 4) {
  if (v == null) return "overflow";
  if (typeof v === "bigint") return groupDigits(v.toString());
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  let s;
  if (a >= 1e-3 && a < 1e5) {
    s = String(+v.toPrecision(digits));
  } else {
    const [m, e] = v.toExponential(digits - 1).split("e");
    s = `${+m}e${Number(e)}`;
  }
  return s.replace(/-/g, MINUS);
}

export const signed = (v, digits) => (v != null && v > 0 ? `+${fmt(v, digits)}` : fmt(v, digits));

// The same number as TeX: 1.2e-5 -> 1.2\times10^{-5}; negatives in parentheses when
// they are multiplied, so "(−0.27)(0.197)" reads like the algebra it comes from.
export function tex(v, digits = 4, { paren = false } = {}) {
  if (v == null) return "\\text{overflow}";
  const s = fmt(v, digits).replace(MINUS, "-");
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(s);
  const body = m ? `${m[1]}\\times10^{${m[2]}}` : s;
  return paren && (v < 0 || m) ? `\\left(${body}\\right)` : body;
}

export function groupDigits(text) {
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
}

// A BigInt count as words a reader can take in: exact digits, and 10^n when it is long.
export function describeCount(count) {
  const digits = count.toString();
  if (digits.length <= 7) return groupDigits(digits);
  return `${groupDigits(digits)} (about ${digits[0]}.${digits.slice(1, 3)}\u00d710^${digits.length - 1})`;
}

// A product of numbers in TeX, with a visible dot so 0.631·0.142 never reads as one number.
export const times = (values, digits = 4) =>
  values.map((v) => tex(v, digits, { paren: true })).join(" \\cdot ");

// Weight subscripts: w^l_{jk}, with a comma once an index has two digits (w^1_{12,3}).
export const jk = (j, k) => (j > 9 || k > 9 ? `${j},${k}` : `${j}${k}`);

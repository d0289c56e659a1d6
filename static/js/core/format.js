// Number formatting shared by the canvas, the panels and the TeX they build.
// null means the API reported a float64 overflow; it prints as "overflow", never as 0.
// One scientific form everywhere: 4.415×10⁻⁴ in text, 4.415 \times 10^{-4} in TeX, so a
// small number never reads as a subtraction ("4.415e-4" typeset is 4.415e minus 4).

const MINUS = "\u2212";
const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SUB = "₀₁₂₃₄₅₆₇₈₉";

// Unicode superscript and subscript digits (and minus), for text that cannot hold markup:
// option labels, titles, aria-labels, canvas text.
const SUP_MORE = { "-": "⁻", "+": "⁺", L: "ᴸ", l: "ˡ", T: "ᵀ", n: "ⁿ" };
const SUB_MORE = { j: "ⱼ", k: "ₖ", x: "ₓ", m: "ₘ", n: "ₙ", l: "ₗ", "-": "₋", "+": "₊" };
export const sup = (n) => String(n).replace(/[\d\-+LlTn]/g, (c) => SUP_MORE[c] ?? SUP[+c]);
export const sub = (n) => String(n).replace(/[\d\-+jkxmnl]/g, (c) => SUB_MORE[c] ?? SUB[+c]);

// Simple TeX (indices, \partial, \to, \delta) as plain text, for titles and aria-labels.
export const texToText = (t) =>
  t
    .replace(/\\partial\s*/g, "∂")
    .replace(/\\to/g, "→")
    .replace(/\\delta/g, "δ")
    .replace(/\\sigma/g, "σ")
    .replace(/\^\{([^}]*)\}|\^(\w)/g, (_, a, b) => sup(a ?? b))
    .replace(/_\{([^}]*)\}|_(\w)/g, (_, a, b) => sub(a ?? b))
    .replace(/\\[,;! ]/g, " ");

// The sign, mantissa and decimal exponent (null when written without one) of v.
function parts(v, digits) {
  const a = Math.abs(v);
  const sign = v < 0 ? "-" : "";
  if (a >= 1e-3 && a < 1e5) return { sign, mantissa: String(+a.toPrecision(digits)), exponent: null };
  const [m, e] = a.toExponential(digits - 1).split("e");
  return { sign, mantissa: String(+m), exponent: Number(e) };
}

export function fmt(v, digits = 4) {
  if (v == null) return "overflow";
  if (typeof v === "bigint") return groupDigits(v.toString());
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const { sign, mantissa, exponent } = parts(v, digits);
  const body = exponent == null ? mantissa : `${mantissa}×10${sup(exponent)}`;
  return `${sign ? MINUS : ""}${body}`;
}

export const signed = (v, digits) => (v != null && v > 0 ? `+${fmt(v, digits)}` : fmt(v, digits));

// The same number as TeX: -1.2e-5 -> -1.2 \times 10^{-5}; negatives (and products with a
// power of ten) in parentheses when they are multiplied, so "(−0.27)(0.197)" reads like
// the algebra it comes from.
export function tex(v, digits = 4, { paren = false } = {}) {
  if (v == null) return "\\text{overflow}";
  if (!Number.isFinite(v)) return `\\text{${v}}`;
  if (v === 0) return "0";
  const { sign, mantissa, exponent } = parts(v, digits);
  const body = `${sign}${exponent == null ? mantissa : `${mantissa} \\times 10^{${exponent}}`}`;
  return paren && (sign || exponent != null) ? `\\left(${body}\\right)` : body;
}

export function groupDigits(text) {
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
}

// A BigInt count as words a reader can take in: exact digits, and 10^n when it is long.
export function describeCount(count) {
  const digits = count.toString();
  if (digits.length <= 7) return groupDigits(digits);
  return `${groupDigits(digits)} (about ${digits[0]}.${digits.slice(1, 3)}×10${sup(digits.length - 1)})`;
}

// A product of numbers in TeX, with a visible dot so 0.631·0.142 never reads as one number.
export const times = (values, digits = 4) =>
  values.map((v) => tex(v, digits, { paren: true })).join(" \\cdot ");

// Weight subscripts: w^l_{jk}, with a comma once an index has two digits (w^1_{12,3}).
export const jk = (j, k) => (j > 9 || k > 9 ? `${j},${k}` : `${j}${k}`);

// A symbol with its indices in plain text: w¹₀₁, δ²₀, a^L written as aᴸ.
export const indexed = (base, upper, lower) =>
  `${base}${upper == null ? "" : sup(upper)}${lower == null ? "" : sub(lower)}`;

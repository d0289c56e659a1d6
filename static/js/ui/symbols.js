// Symbols as plain Unicode text (for SVG and canvas labels), in the notation a lesson uses:
// nielsen w²₀₁ (layer as a superscript number), 3b1b and deeplizard w⁽ᴸ⁻¹⁾₀₁ (layers
// counted back from the output L, in brackets so they do not read as powers).

const SUP = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
const SUB = { 0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈", 9: "₉" };
const sup = (n) => [...String(n)].map((c) => SUP[c]).join("");
const sub = (n) => [...String(n)].map((c) => SUB[c]).join("");
const subPair = (j, k) => (j > 9 || k > 9 ? `${sub(j)}‚${sub(k)}` : `${sub(j)}${sub(k)}`);

// (L), (L−1), ... for the last layers; a plain (l) number further back than L−3.
function layerTag(layer, L) {
  const back = L - layer;
  if (back === 0) return "⁽ᴸ⁾";
  if (back <= 3) return `⁽ᴸ⁻${sup(back)}⁾`;
  return `⁽${sup(layer)}⁾`;
}

export const STYLES = ["nielsen", "3b1b", "deeplizard"];

// kind: weight | bias | z | a | cost. `sizes` decides whether 3b1b needs subscripts at all
// (its one-neuron chain writes a^(L), not a^(L)_0).
export function symbol(style, { kind, layer, j, k }, sizes) {
  const L = sizes.length - 1;
  if (kind === "cost") return style === "nielsen" ? "C" : "C₀";
  const letter = { weight: "w", bias: "b", z: "z", a: "a" }[kind];
  if (style === "nielsen" || !style) {
    return `${letter}${sup(layer)}${kind === "weight" ? subPair(j, k) : sub(j)}`;
  }
  const single = style === "3b1b" && sizes[layer] === 1 && (kind !== "weight" || sizes[layer - 1] === 1);
  const idx = single ? "" : kind === "weight" ? subPair(j, k) : sub(j);
  return `${letter}${layerTag(layer, L)}${idx}`;
}

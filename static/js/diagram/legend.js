// The legend under the diagram, generated from the renderer's own scales so it can
// never disagree with what is drawn.

import { fmt } from "../core/format.js";
import * as S from "../draw/scales.js";
import { h } from "../ui/dom.js";

// One strip: a faint hairline, then every level from weakest to strongest, in both signs.
function levelStrip() {
  const w = 22;
  let x = 2;
  let body = "";
  const faint = S.levelStyle(-1);
  body +=
    `<line x1="${x}" y1="9" x2="${x + w - 6}" y2="9" stroke="${S.rgb(S.INK)}" ` +
    `stroke-opacity="${faint.alpha * 2.5}" ` +
    `stroke-width="${faint.width}"/>`;
  x += w;
  for (let level = 0; level < S.LEVELS; level++) {
    const st = S.levelStyle(level);
    for (const [base, y] of [
      [S.POS, 5],
      [S.NEG, 14],
    ])
      body +=
        `<line x1="${x}" y1="${y}" x2="${x + w - 6}" y2="${y}" stroke="${S.rgb(S.levelRgb(base, level))}" ` +
        `stroke-opacity="${st.alpha}" stroke-width="${st.width}" data-level="${level}"/>`;
    x += w;
  }
  const span = h("span", { class: "legend-strip" });
  span.innerHTML = `<svg width="${x}" height="19" aria-hidden="true">${body}</svg>`;
  return span;
}

// Which quantity the edges show, in words: this sample's gradient, the batch's, or w.
export function edgeTitle({ edgeKind, costText = "Cₓ", batch = null }) {
  if (edgeKind === "weight") return "weight w";
  if (edgeKind === "mean") return `∂C/∂w, batch mean${batch ? ` (${batch})` : ""}`;
  return `∂${costText}/∂w, this sample`;
}

export function renderLegend(el, info) {
  if (!info?.edges) return;
  const { edges, edgeKind, nudge } = info;
  const what = edgeKind === "weight" ? "w" : "∂C/∂w";
  const lo = edges.maxAbs > 0 ? 10 ** edges.floor : 0;
  el.replaceChildren(
    h(
      "div",
      {
        class: "legend-block",
        role: "group",
        "aria-labelledby": "legend-edges",
        data: { edgeKind, max: edges.maxAbs },
      },
      h(
        "span",
        {
          class: "legend-title",
          id: "legend-edges",
          title:
            edgeKind === "mean"
              ? "The gradient of the mean cost over the mini-batch: the one an SGD step uses"
              : null,
        },
        `Edges: ${edgeTitle(info)}`,
      ),
      h("span", { class: "swatch", style: `background:${S.rgb(S.POS)}` }),
      h("span", { class: "small" }, edgeKind === "weight" ? "positive" : "positive (raising w raises C)"),
      h("span", { class: "swatch", style: `background:${S.rgb(S.NEG)}` }),
      h("span", { class: "small" }, edgeKind === "weight" ? "negative" : "negative (raising w lowers C)"),
    ),
    h(
      "div",
      {
        class: "legend-block",
        role: "group",
        "aria-label":
          `Width and shade show |${what}| on a log scale: ${S.LEVELS} bands from ` +
          `${fmt(lo, 2)} to ${fmt(edges.maxAbs, 2)}; smaller values are a faint ` +
          `hairline.`,
      },
      h("span", { class: "legend-title" }, `|${what}| (log)`),
      h("span", { class: "small" }, `< ${fmt(lo, 2)}`),
      levelStrip(),
      h("span", { class: "small" }, `${fmt(edges.maxAbs, 2)}`),
    ),
    nudge
      ? h(
          "div",
          { class: "legend-block" },
          h("span", { class: "legend-title" }, "Neurons: actual Δa"),
          h("span", { class: "ramp diverging" }),
          h("span", { class: "small" }, `−${fmt(nudge.max, 2)} … +${fmt(nudge.max, 2)}`),
        )
      : h(
          "div",
          { class: "legend-block" },
          h("span", { class: "legend-title" }, "Neurons: a"),
          h("span", { class: "small" }, "low"),
          h("span", { class: "ramp", style: `background:${S.activationRampCss}` }),
          h("span", { class: "small" }, "high · ring = δ (colour: sign, width: |δ|)"),
        ),
  );
}

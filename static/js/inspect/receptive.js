// "What is this neuron looking for?" (3Blue1Brown, chapter 1): a neuron fed by an image
// layer (8x8 digits, 28x28 MNIST) has one weight per pixel, so its weights are themselves
// an image. Beside it, the gradient of the cost for the current sample, pixel by pixel
// (BP4: a^0_k δ^1_j, so it is zero wherever the sample has no ink).
// Blue is negative, orange positive, white zero; each picture is scaled to its own max |v|.

import { isImage } from "../draw/layout.js";
import { divergingRgb } from "../draw/scales.js";
import { h, section } from "../ui/dom.js";
import { texNode } from "../ui/tex.js";

const SHOWN_PX = 140; // CSS size of each picture

export function receptiveField(l, j, { net, r }) {
  if (l !== 1 || !isImage(net.sizes[0])) return null;
  const side = Math.round(Math.sqrt(net.sizes[0]));
  const weights = net.weights[0][j];
  const grads = r.layers[1].grad_w?.[j];
  return section(
    "What this neuron looks for",
    h(
      "div",
      { class: "receptive" },
      picture("weights", `w^1_{${j}k}`, weights, side, `Weights into neuron ${j} of layer 1`),
      grads
        ? picture(
            "gradient",
            `\\partial C/\\partial w^1_{${j}k}`,
            grads,
            side,
            "Their gradient for this sample",
          )
        : null,
    ),
    h(
      "p",
      { class: "muted small" },
      "Each pixel is the weight from that input pixel (orange raises z, blue lowers it). The gradient " +
        "is a⁰ₖ·δ¹ⱼ: only inked pixels of this sample get one.",
    ),
  );
}

function picture(kind, captionTex, values, side, label) {
  let max = 0;
  for (const v of values) if (v != null && Math.abs(v) > max) max = Math.abs(v);
  // data-own: morph() swaps the canvas in whole, since its pixels are no attribute.
  const canvas = h("canvas", {
    width: side,
    height: side,
    class: "receptive-img",
    role: "img",
    "aria-label": `${label}, as a ${side} by ${side} image; largest |value| ${max.toPrecision(3)}`,
    data: { kind, max: String(max), own: "" },
  });
  canvas.style.width = `${SHOWN_PX}px`;
  canvas.style.height = `${SHOWN_PX}px`;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(side, side);
  values.forEach((v, k) => {
    img.data.set([...divergingRgb(v, max), 255], k * 4);
  });
  ctx.putImageData(img, 0, 0);
  return h(
    "figure",
    { class: "receptive-fig" },
    canvas,
    h("figcaption", { class: "small" }, texNode(captionTex)),
  );
}

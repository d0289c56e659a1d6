// A chart's canvas sized for its CSS box at the device pixel ratio (sharp on high-DPI
// screens), cleared to a background, with CSS-pixel coordinates from here on.
export function prepareCanvas(canvas, { width, height, dpr = 1 }, background) {
  const W = Math.max(1, Math.round(width * dpr));
  const H = Math.max(1, Math.round(height * dpr));
  // Assigning width or height clears the canvas and drops its state, even to the same value.
  if (canvas.width !== W) canvas.width = W;
  if (canvas.height !== H) canvas.height = H;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  return ctx;
}

// Text on a pale backing, so a label stays readable where a curve or a bar runs under it.
// Uses the context's current font, textAlign ("left" or "right") and textBaseline
// ("top" or "bottom").
export function backedText(ctx, text, x, y, backing = "rgba(255, 255, 255, 0.85)") {
  const w = ctx.measureText(text).width;
  const h = parseFloat(ctx.font) || 11; // the font size, in px
  const left = ctx.textAlign === "right" ? x - w : x;
  const top = ctx.textBaseline === "bottom" ? y - h : y;
  const fill = ctx.fillStyle;
  ctx.fillStyle = backing;
  ctx.fillRect(left - 2, top - 1, w + 4, h + 2);
  ctx.fillStyle = fill;
  ctx.fillText(text, x, y);
}

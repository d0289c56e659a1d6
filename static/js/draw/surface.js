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

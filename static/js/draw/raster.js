// Opaque one-pixel lines written straight into pixels, for layers of thousands of edges.
//
// Why: each canvas stroke goes through the anti-aliasing path rasteriser, and with the
// GPU off (headless Chromium, many laptops' software canvas) 23,520 strokes of 784-30-10
// cost ~25 ms. A line-walking loop costs a few operations per pixel. At one device pixel
// wide and thousands deep, anti-aliasing is invisible, so nothing is lost to the eye.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// An opaque [r, g, b] as one 32-bit pixel of an ImageData's Uint32 view.
export function pixelOf([r, g, b]) {
  return LITTLE_ENDIAN
    ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

// Device-pixel rectangle that holds every segment of `coords` (CSS px, x1 y1 x2 y2 per edge).
export function boundsOf(coords, scale, canvasW, canvasH) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < coords.length; i += 2) {
    const x = coords[i];
    const y = coords[i + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const left = Math.max(0, Math.floor(x0 * scale) - 1);
  const top = Math.max(0, Math.floor(y0 * scale) - 1);
  const right = Math.min(canvasW, Math.ceil(x1 * scale) + 2);
  const bottom = Math.min(canvasH, Math.ceil(y1 * scale) + 2);
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

// Draw edges `list` (indices into coords) in one colour into `px`, a Uint32 view of an
// ImageData covering `rect` of the canvas: one pixel per step along the longer axis, the
// other coordinate in 16.16 fixed point so the inner loop is integer adds and one store.
export function rasterLines(px, rect, coords, list, colour, scale) {
  const { left, top, width, height } = rect;
  const maxX = width - 1;
  const maxY = height - 1;
  // A device pixel p covers [p, p + 1): its centre is p + 0.5.
  const ox = left + 0.5;
  const oy = top + 0.5;
  for (let i = 0; i < list.length; i++) {
    const e = 4 * list[i];
    let xa = Math.min(maxX, Math.max(0, coords[e] * scale - ox));
    let ya = Math.min(maxY, Math.max(0, coords[e + 1] * scale - oy));
    let xb = Math.min(maxX, Math.max(0, coords[e + 2] * scale - ox));
    let yb = Math.min(maxY, Math.max(0, coords[e + 3] * scale - oy));
    if (Math.abs(xb - xa) >= Math.abs(yb - ya)) {
      if (xb < xa) [xa, xb, ya, yb] = [xb, xa, yb, ya];
      const x0 = Math.round(xa);
      const x1 = Math.round(xb);
      const step = x1 > x0 ? Math.round(((yb - ya) / (x1 - x0)) * 65536) : 0;
      let yf = Math.round((ya + 0.5) * 65536);
      for (let x = x0; x <= x1; x++) {
        px[(yf >> 16) * width + x] = colour;
        yf += step;
      }
    } else {
      if (yb < ya) [xa, xb, ya, yb] = [xb, xa, yb, ya];
      const y0 = Math.round(ya);
      const y1 = Math.round(yb);
      const step = Math.round(((xb - xa) / (y1 - y0)) * 65536);
      let xf = Math.round((xa + 0.5) * 65536);
      for (let row = y0 * width, end = y1 * width; row <= end; row += width) {
        px[row + (xf >> 16)] = colour;
        xf += step;
      }
    }
  }
}

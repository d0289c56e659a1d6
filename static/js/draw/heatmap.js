// The decision boundary, as TensorFlow Playground draws it: the network's output on a grid
// over the input plane painted as a heat map, the line where it changes class, and the
// data points on top, coloured by class. Plain arrays in, pixels out: no fetch, no state,
// and a wrong shape is a thrown Error.
//
// Colours: blue (#2c7bb6) for class 0 and orange (#e66101) for class 1, the diverging pair
// the whole page uses for signs, which colour-blind readers tell apart; white where the
// network cannot decide.

import { mix, NEG, PAPER, POS, rgb } from "./scales.js";
import { prepareCanvas } from "./surface.js";

function fail(message) {
  throw new Error(`heat map: ${message}`);
}

function validate(spec) {
  if (!spec || typeof spec !== "object") fail("needs a spec object");
  const { width, height, nx, ny, values, extent, range, points, classes } = spec;
  if (!(width > 0 && height > 0)) fail(`width and height must be positive, got ${width}×${height}`);
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 2 || ny < 2)
    fail("nx and ny must be integers ≥ 2");
  if (!Array.isArray(values) || values.length !== nx * ny)
    fail(
      `values must hold nx·ny = ${nx * ny} numbers, got ${Array.isArray(values) ? values.length : typeof values}`,
    );
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && (typeof v !== "number" || Number.isNaN(v)))
      fail(`values[${i}] is not a number or null`);
  }
  if (
    !Array.isArray(extent) ||
    extent.length !== 4 ||
    !extent.every(Number.isFinite) ||
    !(extent[1] > extent[0]) ||
    !(extent[3] > extent[2])
  ) {
    fail("extent must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax");
  }
  if (!(range > 0) || !Number.isFinite(range)) fail("range must be a positive number");
  if (points != null) {
    if (!Array.isArray(points)) fail("points must be a list of [x, y]");
    points.forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 2 || !p.every(Number.isFinite))
        fail(`points[${i}] must be [x, y]`);
    });
    if (!Array.isArray(classes) || classes.length !== points.length)
      fail(`classes must give one class per point (${points.length})`);
    classes.forEach((c, i) => {
      if (c !== 0 && c !== 1) fail(`classes[${i}] must be 0 or 1`);
    });
  }
  for (const i of spec.highlight ?? []) {
    if (!Number.isInteger(i) || i < 0 || i >= (points?.length ?? 0))
      fail(`highlight index ${i} is not a point`);
  }
}

// Heat-map colour of a value: white at 0, the class colour (lightened, so points stay
// visible on top) at |v| = range.
export function fieldColour(v, range) {
  if (v == null) return [200, 200, 200];
  const t = Math.min(1, Math.abs(v) / range);
  return mix(PAPER, v < 0 ? NEG : POS, 0.72 * t ** 0.8);
}

// The v = 0 contour by marching squares: line segments [x0, y0, x1, y1] in grid units.
export function zeroContour(values, nx, ny) {
  const segs = [];
  const at = (c, r) => values[r * nx + c];
  const cross = (a, b) => a / (a - b); // where the line from a to b crosses 0, in [0, 1]
  for (let r = 0; r + 1 < ny; r++) {
    for (let c = 0; c + 1 < nx; c++) {
      const v = [at(c, r), at(c + 1, r), at(c + 1, r + 1), at(c, r + 1)];
      if (v.some((u) => u == null)) continue;
      const edges = [];
      // Corners in order around the cell: top-left, top-right, bottom-right, bottom-left.
      const corner = [
        [c, r],
        [c + 1, r],
        [c + 1, r + 1],
        [c, r + 1],
      ];
      for (let e = 0; e < 4; e++) {
        const a = v[e];
        const b = v[(e + 1) % 4];
        if (a < 0 !== b < 0) {
          const t = cross(a, b);
          const [xa, ya] = corner[e];
          const [xb, yb] = corner[(e + 1) % 4];
          edges.push([xa + (xb - xa) * t, ya + (yb - ya) * t]);
        }
      }
      if (edges.length === 2) segs.push([...edges[0], ...edges[1]]);
      else if (edges.length === 4) segs.push([...edges[0], ...edges[1]], [...edges[2], ...edges[3]]);
    }
  }
  return segs;
}

// values[r * nx + c] is the output at x = xmin + c·(xmax − xmin)/(nx − 1) and
// y = ymax − r·(ymax − ymin)/(ny − 1): row 0 is the top of the picture.
export function drawHeatmap(canvas, spec) {
  validate(spec);
  const t0 = performance.now();
  const { width, height, nx, ny, values, extent, range } = spec;
  const ctx = prepareCanvas(canvas, spec, rgb(PAPER));

  // A square plot, centred: the input plane is not stretched.
  const side = Math.max(10, Math.min(width, height) - 4);
  const ox = (width - side) / 2;
  const oy = (height - side) / 2;

  // The field: one pixel per grid point, scaled up smoothly (grid points sit on cell centres).
  const img = new ImageData(nx, ny);
  for (let i = 0; i < nx * ny; i++) {
    const [r, g, b] = fieldColour(values[i], range);
    img.data[4 * i] = r;
    img.data[4 * i + 1] = g;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  const tile = document.createElement("canvas");
  tile.width = nx;
  tile.height = ny;
  tile.getContext("2d").putImageData(img, 0, 0);
  const cw = side / (nx - 1); // one grid step in pixels
  const ch = side / (ny - 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(ox, oy, side, side);
  ctx.clip();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, ox - cw / 2, oy - ch / 2, side + cw, side + ch);

  // The decision boundary: where the two outputs are equal.
  ctx.strokeStyle = "rgba(31,41,51,0.75)";
  ctx.lineWidth = 1.4;
  ctx.beginPath();
  for (const [a, b, c, d] of zeroContour(values, nx, ny)) {
    ctx.moveTo(ox + a * cw, oy + b * ch);
    ctx.lineTo(ox + c * cw, oy + d * ch);
  }
  ctx.stroke();
  ctx.restore();

  const [xmin, xmax, ymin, ymax] = extent;
  const toX = (x) => ox + ((x - xmin) / (xmax - xmin)) * side;
  const toY = (y) => oy + ((ymax - y) / (ymax - ymin)) * side;
  const points = spec.points ?? [];
  // Points: class colour, a white rim so they read on either side of the boundary. Held-out
  // points (never trained on) are hollow squares in their class colour.
  const held = spec.heldOut ?? null;
  for (let i = 0; i < points.length; i++) {
    const [x, y] = points[i];
    const colour = rgb(spec.classes[i] === 1 ? POS : NEG);
    ctx.beginPath();
    if (held?.[i]) {
      ctx.rect(toX(x) - 3, toY(y) - 3, 6, 6);
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.lineWidth = 1.8;
      ctx.strokeStyle = colour;
      ctx.stroke();
      continue;
    }
    ctx.arc(toX(x), toY(y), 2.6, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.lineWidth = 0.9;
    ctx.strokeStyle = "#fff";
    ctx.stroke();
  }
  // Highlighted points (the batch in view): a dark ring.
  ctx.strokeStyle = "#1f2933";
  ctx.lineWidth = 1.5;
  for (const i of spec.highlight ?? []) {
    const [x, y] = points[i];
    ctx.beginPath();
    ctx.arc(toX(x), toY(y), 5, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.strokeStyle = "#cfcac0";
  ctx.lineWidth = 1;
  ctx.strokeRect(ox + 0.5, oy + 0.5, side - 1, side - 1);
  return { ms: performance.now() - t0, side, contour: true };
}

// Reading one binary frame of the live-training stream (app/services/live.py writes it):
// a little-endian uint32 header length, the header as UTF-8 JSON listing each array's name,
// dtype ("f8" or "f4"), shape and byte offset, then the arrays, each aligned to 8 bytes.
// The typed arrays are views on the frame's buffer: no copy.

const TYPES = { f8: Float64Array, f4: Float32Array };

export function decodeFrame(buffer) {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < 4) throw new Error("frame: not a binary frame");
  const n = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
  const base = 4 + n;
  const arrays = {};
  for (const a of header.arrays ?? []) {
    const Type = TYPES[a.dtype];
    if (!Type) throw new Error(`frame: array ${a.name} has dtype ${a.dtype}`);
    const count = a.shape.reduce((p, d) => p * d, 1);
    arrays[a.name] = { data: new Type(buffer, base + a.offset, count), shape: a.shape };
  }
  return { header, arrays };
}

// Rows of a 2-D array as plain arrays (the page's network JSON keeps weights[l-1][j][k]).
export function rows({ data, shape }) {
  const [r, c] = shape;
  return Array.from({ length: r }, (_, j) => Array.from(data.subarray(j * c, (j + 1) * c)));
}

// The frame's network and, if it carries the shown sample's pass, a backprop answer shaped
// as `POST /api/backprop` gives it. BP3 and BP4 are done here, from the exact float64
// delta and a: grad_b = delta, grad_w = delta a^T, the same products the server takes.
export function frameResult(frame, spec, x) {
  const L = spec.sizes.length - 1;
  const { arrays, header } = frame;
  const weights = [];
  const biases = [];
  for (let l = 1; l <= L; l++) {
    weights.push(rows(arrays[`W${l}`]));
    biases.push(Array.from(arrays[`b${l}`].data));
  }
  const network = { ...spec, weights, biases };
  if (!arrays.a1) return { network, result: null };
  const layers = [{ a: [...x] }];
  for (let l = 1; l <= L; l++) {
    const layer = {};
    for (const key of ["z", "a", "sigma_prime", "dC_da", "delta"])
      layer[key] = Array.from(arrays[`${key}${l}`].data);
    const prev = layers[l - 1].a;
    layer.grad_b = layer.delta.slice();
    layer.grad_w = layer.delta.map((d) => prev.map((a) => d * a));
    layers.push(layer);
  }
  return { network, result: { cost: header.cost ?? null, layers, notes: [] } };
}

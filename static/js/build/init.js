// Fresh weights, drawn by the server. The API turns {"init": {"scheme", "seed"}} into
// weights whenever it builds a network, but hands them back only when it saves one. To
// preview a draft before saving, this reads them back exactly from the stateless
// endpoints, with linear activations and init's zero biases:
//
//   w^1:  forward on x = e_k gives z^1 = W^1 e_k, column k of W^1;
//   w^l:  backprop on the first l layers with x = 0 and y = -e_j gives a = 0 everywhere,
//         delta^l = a - y = e_j and delta^(l-1) = (W^l)^T e_j, row j of W^l.
//
// Every product is with 0 or 1 and every sum adds zeros, so these are the server's numbers
// to the last bit (tests/web/test_editor_library.py checks them against a saved network).
// The server draws the layers in order from one seeded generator, so layer l depends only
// on sizes[0..l], the scheme and the seed: the first l layers are enough, and the answer is
// cached under exactly that.

import { api } from "../core/api.js";

const ROWS = 256; // samples per request: keeps samples x parameters under the server's cap
const cache = new Map();

export function freshWeights(sizes, l, init) {
  const head = sizes.slice(0, l + 1);
  const key = `${head.join("-")}|${init.scheme}|${init.seed}`;
  if (!cache.has(key)) {
    const pending = read(head, init);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return cache.get(key);
}

const unit = (n, i, v) => Array.from({ length: n }, (_, k) => (k === i ? v : 0));
const chunks = (n) =>
  Array.from({ length: Math.ceil(n / ROWS) }, (_, c) =>
    Array.from({ length: Math.min(ROWS, n - c * ROWS) }, (__, i) => c * ROWS + i),
  );

async function read(sizes, init) {
  const l = sizes.length - 1;
  const network = { sizes, activations: Array(l).fill("linear"), cost: "quadratic", init };
  const n0 = sizes[0];
  const check = (data) => {
    if (data.notes?.length) throw new Error(`initial weights: ${data.notes.join("; ")}`);
    return data;
  };
  if (l === 1) {
    const parts = await Promise.all(
      chunks(n0).map((ks) =>
        api
          .compute("forward", { network }, { x: ks.map((k) => unit(n0, k, 1)), include: ["z"] })
          .then(({ data }) => check(data).layers[1].z),
      ),
    );
    const columns = parts.flat(); // columns[k][j] = w^1_jk
    return Array.from({ length: sizes[1] }, (_, j) => columns.map((col) => col[j]));
  }
  const parts = await Promise.all(
    chunks(sizes[l]).map((js) =>
      api
        .compute(
          "backprop",
          { network },
          {
            x: js.map(() => Array(n0).fill(0)),
            y: js.map((j) => unit(sizes[l], j, -1)),
            include: ["delta"],
          },
        )
        .then(({ data }) => check(data).layers[l - 1].delta),
    ),
  );
  return parts.flat(); // rows[j][k] = w^l_jk
}

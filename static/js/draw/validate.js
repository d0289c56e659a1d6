// Shape checks for the renderer's input: a wrong shape is a thrown Error naming the
// entry at fault, never a silently odd drawing.

export function fail(message) {
  throw new Error(`network drawing: ${message}`);
}
function checkVector(v, n, name) {
  if (!Array.isArray(v) || v.length !== n)
    fail(`${name} must be a list of ${n} numbers, got ${Array.isArray(v) ? v.length : typeof v}`);
  for (let i = 0; i < n; i++)
    if (v[i] !== null && typeof v[i] !== "number") fail(`${name}[${i}] is not a number`);
}
function checkMatrix(m, rows, cols, name) {
  if (!Array.isArray(m) || m.length !== rows) fail(`${name} must have ${rows} rows`);
  for (let j = 0; j < rows; j++) checkVector(m[j], cols, `${name}[${j}]`);
}

export function validateModel(m) {
  const { sizes } = m;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    fail("sizes must list at least two positive integers");
  }
  const L = sizes.length - 1;
  if (!Array.isArray(m.activations) || m.activations.length !== L)
    fail(`activations must name ${L} functions`);
  if (!Array.isArray(m.a) || m.a.length !== L + 1) fail(`a must hold ${L + 1} layers`);
  m.a.forEach((v, l) => {
    if (v != null) checkVector(v, sizes[l], `a[${l}]`);
  });
  if (!Array.isArray(m.edges) || m.edges.length !== L) fail(`edges must hold ${L} matrices`);
  m.edges.forEach((w, i) => {
    checkMatrix(w, sizes[i + 1], sizes[i], `edges[${i}]`);
  });
  if (m.delta != null) {
    if (!Array.isArray(m.delta) || m.delta.length !== L) fail(`delta must hold ${L} layers`);
    m.delta.forEach((v, i) => {
      if (v != null) checkVector(v, sizes[i + 1], `delta[${i}]`);
    });
  }
  if (m.dCda != null) checkVector(m.dCda, sizes[L], "dCda");
  if (m.y != null) checkVector(m.y, sizes[L], "y");
  if (!["grad", "mean", "weight"].includes(m.edgeKind)) fail('edgeKind must be "grad", "mean" or "weight"');
}

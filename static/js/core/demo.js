// Built-in networks for when the server has no saved ones (GET /api/networks is 404):
// the page must still open ready. They travel in the body of the stateless endpoints.

// A 2-3-2 sigmoid net with hand-set weights that roughly separates XOR on [-1, 1]^2.
const XOR = {
  sizes: [2, 3, 2],
  activations: ["sigmoid", "sigmoid"],
  cost: "quadratic",
  weights: [
    [
      [2.6, 2.4],
      [-2.3, -2.5],
      [1.1, -0.9],
    ],
    [
      [-1.9, -2.1, 0.4],
      [2.2, 2.0, -0.3],
    ],
  ],
  biases: [
    [-1.2, -1.1, 0.2],
    [1.6, -1.5],
  ],
};

// Seeded so every visit (and every test) sees the same weights.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function xavierNetwork(sizes, activations, cost, seed) {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const weights = [];
  const biases = [];
  for (let l = 1; l < sizes.length; l++) {
    const sd = Math.sqrt(2 / (sizes[l - 1] + sizes[l]));
    weights.push(
      Array.from({ length: sizes[l] }, () => Array.from({ length: sizes[l - 1] }, () => sd * gauss())),
    );
    biases.push(Array.from({ length: sizes[l] }, () => 0.1 * gauss()));
  }
  return { sizes, activations, cost, weights, biases };
}

export const DEMOS = [
  { id: "demo:xor", name: "XOR 2-3-2 (built in)", dataset: "xor", build: () => XOR },
  {
    id: "demo:digits",
    name: "Digits 64-16-10 (built in)",
    dataset: "digits",
    build: () => xavierNetwork([64, 16, 10], ["sigmoid", "sigmoid"], "quadratic", 1),
  },
  {
    id: "demo:mnist",
    name: "MNIST-sized 784-30-10 (built in)",
    dataset: null,
    build: () => xavierNetwork([784, 30, 10], ["sigmoid", "sigmoid"], "cross_entropy", 2),
  },
];

// A recognisable default input when the network has no dataset: a ring for square
// (image) inputs, a gentle ramp otherwise.
export function defaultInput(n) {
  const side = Math.round(Math.sqrt(n));
  if (side * side === n && side >= 4) {
    const c = (side - 1) / 2;
    return Array.from({ length: n }, (_, i) => {
      const r = Math.hypot((i % side) - c, Math.floor(i / side) - c) / (side / 2);
      return +Math.max(0, 1 - Math.abs(r - 0.62) * 5).toFixed(3);
    });
  }
  return Array.from({ length: n }, (_, i) => +(n === 1 ? 0.5 : -0.8 + (1.6 * i) / (n - 1)).toFixed(3));
}

export function defaultTarget(n) {
  return Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
}

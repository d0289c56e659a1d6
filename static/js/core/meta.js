// The facts the server owns (GET /api/meta), read once at start by the model: the caps in
// force (EXPLORER_* overrides included), the activations, costs and init schemes, training
// bounds and defaults. Modules read them from here when they need them; none keeps a copy.

export const meta = {
  limits: null, // every cap of the server's Settings
  activations: [], // [{name, last_layer_only, min_neurons, output_in_unit_interval}]
  costs: [], // [{name, formula, needs_unit_interval, output_activations}]
  init_schemes: [], // [{name, draws}]
  training: null, // {eval_samples, max_steps, max_batch_size, max_learning_rate, learning_rate_rules}
  datasets: {}, // name -> {learning_rate, batch_size}
  max_dataset_page: null, // the most samples one GET /api/datasets/{name} gives
  shared: false, // a hosted server with owners: share links, owned copies of the demos
};

export function setMeta(data) {
  Object.assign(meta, data);
}

// Weights and biases of a network with these layer sizes: sum of n_l (n_{l-1} + 1). The one
// count on this side; the server's caps (max_parameters, max_work, ...) are about it.
export const parameterCount = (sizes) => sizes.slice(1).reduce((sum, n, i) => sum + n * (sizes[i] + 1), 0);

// The learning rate the server suggests for a network (meant for `dataset`, if given): its
// first rule that holds. A saved network's training record carries the same number.
export function suggestedRate({ activations, cost }, dataset = null) {
  const holds = (r) =>
    (!r.any_activation || activations.some((a) => r.any_activation.includes(a))) &&
    (!r.all_activations || activations.every((a) => r.all_activations.includes(a))) &&
    (!r.costs || r.costs.includes(cost)) &&
    (!r.datasets || r.datasets.includes(dataset));
  return meta.training.learning_rate_rules.find(holds).learning_rate;
}

"""The PyTorch export: a self-contained script that rebuilds a network in torch (float64, the
exact weights) and computes its cost and gradients with autograd, in this API's layout.

The template is plain Python run by torch users, not by the app; only the parameter lists are
filled in. Floats are written with repr (via json), which reads back bit for bit.
"""

from __future__ import annotations

import json

from app.nn.network import Network

TEMPLATE = '''"""{title}

Exported by Backprop Explorer. Needs only PyTorch and the standard library:

    python {{this file}} '[x_1, ..., x_n]' '[y_1, ..., y_m]'   # prints cost and gradients as JSON

or ``from this_module import Net, gradients``. Conventions are the explorer's: layer l's weights
are W^l with W^l[j][k] = w^l_jk (from neuron k of layer l-1 to neuron j of layer l); the cost of
a batch is the mean of the per-sample costs; quadratic is 1/2 sum (a - y)^2, sse has no 1/2.
"""

import json
import sys

import torch

SIZES = {sizes}
ACTIVATIONS = {activations}
COST = {cost}
WEIGHTS = {weights}
BIASES = {biases}
LEAKY_SLOPE = 0.01


def activate(name, z):
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return torch.relu(z)
    if name == "leaky_relu":
        return torch.nn.functional.leaky_relu(z, LEAKY_SLOPE)
    if name == "linear":
        return z
    if name == "softmax":
        return torch.softmax(z, dim=1)
    raise ValueError(f"unknown activation {{name}}")


def log_parts(name, z):
    """ln a and ln(1 - a) of the output, from z so they stay finite where a rounds to 0 or 1."""
    if name == "sigmoid":
        return torch.nn.functional.logsigmoid(z), torch.nn.functional.logsigmoid(-z)
    log_a = torch.log_softmax(z, dim=1)
    return log_a, torch.log(-torch.expm1(log_a))


class Net(torch.nn.Module):
    """The exported network: one float64 Linear per layer, then its activation."""

    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList()
        for n_in, n_out, w, b in zip(SIZES[:-1], SIZES[1:], WEIGHTS, BIASES):
            layer = torch.nn.Linear(n_in, n_out, dtype=torch.float64)
            with torch.no_grad():
                layer.weight.copy_(torch.tensor(w, dtype=torch.float64))
                layer.bias.copy_(torch.tensor(b, dtype=torch.float64))
            self.layers.append(layer)

    def forward(self, x):
        """(output a^L, weighted input z^L) for x of shape (N, n_0)."""
        z = x
        for layer, name in zip(self.layers, ACTIVATIONS):
            z = layer(x)
            x = activate(name, z)
        return x, z

    def cost(self, x, y):
        """C: the mean over the samples of the cost of one sample."""
        a, z = self(x)
        if COST == "quadratic":
            per_sample = 0.5 * ((a - y) ** 2).sum(dim=1)
        elif COST == "sse":
            per_sample = ((a - y) ** 2).sum(dim=1)
        elif COST == "cross_entropy":
            log_a, log_1ma = log_parts(ACTIVATIONS[-1], z)
            per_sample = -(y * log_a + (1 - y) * log_1ma).sum(dim=1)
        elif COST == "log_likelihood":
            log_a, _ = log_parts(ACTIVATIONS[-1], z)
            per_sample = -(y * log_a).sum(dim=1)
        else:
            raise ValueError(f"unknown cost {{COST}}")
        return per_sample.mean()


def gradients(x, y):
    """Cost and gradients for one sample (a list) or a batch (a list of lists), by autograd:
    {{"cost": C, "grad_w": grad_w[l-1][j][k] = dC/dw^l_jk, "grad_b": grad_b[l-1][j]}}."""
    x = torch.tensor(x, dtype=torch.float64)
    y = torch.tensor(y, dtype=torch.float64)
    if x.dim() == 1:
        x, y = x[None, :], y[None, :]
    net = Net()
    c = net.cost(x, y)
    c.backward()
    return {{
        "cost": c.item(),
        "grad_w": [layer.weight.grad.tolist() for layer in net.layers],
        "grad_b": [layer.bias.grad.tolist() for layer in net.layers],
    }}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: {{sys.argv[0]}} X_JSON Y_JSON")
    print(json.dumps(gradients(json.loads(sys.argv[1]), json.loads(sys.argv[2]))))
'''


def pytorch_script(net: Network, name: str, version: int) -> str:
    sizes = "-".join(map(str, net.sizes))
    return TEMPLATE.format(
        title=f"{name!r} (version {version}, {sizes}) as a PyTorch module.",
        sizes=json.dumps(net.sizes),
        activations=json.dumps(net.activation_names),
        cost=json.dumps(net.cost_name),
        weights=json.dumps([w.tolist() for w in net.weights[1:]]),
        biases=json.dumps([b.tolist() for b in net.biases[1:]]),
    )

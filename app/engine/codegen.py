"""The step as a runnable PyTorch script, in the lecture's style (class MyMiniMLP(torch.nn.Module)).

Every activation, loss and optimizer is written with its registry entry's `code` string, so the
script and the engine name the same torch classes. Numbers are written with Python's repr: a
float64 read back from the script is the very number the request carried. The script prints
`loss = …`, then for each parameter (torch's names of the class's attributes: linear_1.weight is
W¹, the API's layers.0.weight) its gradient, and after the optimizer's step its new value.
"""

from __future__ import annotations

from ..registry import ACTIVATIONS, LOSSES, OPTIMIZERS
from .addresses import param_address
from .network import initial_parameters


def _num(v) -> str:
    """A number as Python reads it back exactly (repr: the shortest string that round-trips)."""
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, (list, tuple)):
        inner = ", ".join(_num(e) for e in v)
        return f"[{inner}]" if isinstance(v, list) else f"({inner}{',' if len(v) == 1 else ''})"
    return repr(float(v)) if isinstance(v, float) else repr(v)


def attribute(name: str) -> str:
    """The script's attribute for an API parameter name: "layers.0.weight" → "linear_1.weight"."""
    kind, layer = param_address(name)
    return f"linear_{layer}.{'weight' if kind == 'W' else 'bias'}"


def _parameters(net: dict) -> list[tuple[list, list]]:
    """(W, β) of every layer as lists, the seed's PyTorch initialisation where the request has none."""
    layers = net["layers"]
    units = [layer["units"] for layer in layers]
    initial = None
    if any(layer.get("weights") is None or layer.get("biases") is None for layer in layers):
        initial = initial_parameters([net["inputs"]] + units[:-1], units, net.get("seed", 0))
    out = []
    for k, layer in enumerate(layers):
        w = layer.get("weights") if layer.get("weights") is not None else initial[k][0].tolist()
        b = layer.get("biases") if layer.get("biases") is not None else initial[k][1].tolist()
        out.append((w, b))
    return out


def _module_class(net: dict) -> list[str]:
    fan_ins = [net["inputs"]] + [layer["units"] for layer in net["layers"][:-1]]
    init, forward = [], []
    for k, (fan_in, layer) in enumerate(zip(fan_ins, net["layers"]), start=1):
        act = ACTIVATIONS[layer["activation"]].code.format(alpha=_num(float(layer.get("negative_slope", 0.01))))
        init += [f"        self.linear_{k} = nn.Linear({fan_in}, {layer['units']}, dtype=DTYPE)",
                 f"        self.activation_{k} = {act}"]
        last = k == len(net["layers"])
        forward += [f"        x = self.linear_{k}(x)",
                    f"        {'y_hat' if last else 'x'} = self.activation_{k}(x)"]
    return ["class MyMiniMLP(torch.nn.Module):",
            "    def __init__(self):",
            "        super(MyMiniMLP, self).__init__()",
            *init, "",
            "    def forward(self, x):",
            *forward,
            "        return y_hat"]


def _optimizer(req: dict) -> list[str]:
    opt = req.get("optimizer") or {}
    entry = OPTIMIZERS[opt.get("name", "sgd")]
    values = {h.key: opt.get(h.key, h.default) for h in entry.hyper}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    lines = ["optimizer = " + entry.code.format(params="model.parameters()",
                                                **{k: _num(v) for k, v in values.items()})]
    state = (req.get("optimizer_state") or {}).get("params") or {}
    for pname, entry_state in state.items():
        items = []
        for key, value in entry_state.items():
            if key == "step":  # torch.optim keeps Adam's step count as a float32 tensor
                items.append(f"{key!r}: torch.tensor({_num(float(value))})")
            else:
                items.append(f"{key!r}: torch.tensor({_num(value)}, dtype=DTYPE)")
        lines.append(f"optimizer.state[model.{attribute(pname)}] = {{{', '.join(items)}}}")
    return lines


def _accumulated(req: dict) -> list[str]:
    """.grad left by an earlier backward (the request's grad_before), not zeroed."""
    lines = []
    for address, values in (req.get("grad_before") or {}).items():
        if address == "x":
            lines.append(f"x.grad = torch.tensor({_num(values)}, dtype=DTYPE)")
            continue
        q, layer = address.split(":")
        lines.append(f"model.linear_{layer}.{'weight' if q == 'W' else 'bias'}.grad = "
                     f"torch.tensor({_num(values)}, dtype=DTYPE)")
    return lines


def script(req: dict) -> str:
    """A runnable PyTorch script for this step request (a dict as the API takes it, defaults filled in)."""
    net = req["network"]
    dtype = req.get("dtype", "float64")
    loss_entry = LOSSES[net.get("loss", "mse")]
    classes = loss_entry.targets == "classes"
    out = ['"""Backprop Lab: one training step of this network, computed by PyTorch.',
           "",
           "Run it with `python` (torch installed): it prints the loss, then each parameter's gradient",
           "and its value after the optimizer's step: the numbers POST /api/step answers. Parameters are",
           "named as torch.nn.Module.named_parameters() names them: linear_1.weight is W of layer 1",
           '(the API\'s layers.0.weight), linear_1.bias its β."""',
           "",
           "import torch",
           "from torch import nn",
           "",
           f"DTYPE = torch.{dtype}",
           "", "",
           *_module_class(net),
           "", "",
           "model = MyMiniMLP()",
           "with torch.no_grad():  # the current weights and biases",
           ]
    for k, (w, b) in enumerate(_parameters(net), start=1):
        out += [f"    model.linear_{k}.weight.copy_(torch.tensor({_num(w)}, dtype=DTYPE))",
                f"    model.linear_{k}.bias.copy_(torch.tensor({_num(b)}, dtype=DTYPE))"]
    for k, layer in enumerate(net["layers"], start=1):
        for kind, key in (("weight", "freeze_weights"), ("bias", "freeze_biases")):
            if layer.get(key):
                out.append(f"model.linear_{k}.{kind}.requires_grad_(False)  # frozen: no .grad, not updated")
    out += ["",
            f"x = torch.tensor({_num(req['x'])}, dtype=DTYPE, requires_grad=True)  # one row per sample",
            f"y = torch.tensor({_num(req['y'])}" + (")  # class indices" if classes else ", dtype=DTYPE)"),
            f"loss_function = {loss_entry.code}",
            *_optimizer(req),
            ""]
    if req.get("no_grad"):
        out += ["with torch.no_grad():  # inference only: no graph, no gradients, no step",
                "    y_hat = model(x)",
                "    loss = loss_function(y_hat, y)",
                'print("loss =", repr(loss.item()))',
                "for name, p in model.named_parameters():",
                '    print(f"{name} after = {p.tolist()}")']
        return "\n".join(out) + "\n"
    accumulated = _accumulated(req)
    passes = int(req.get("backward_passes", 1))
    if accumulated:
        out += ["# .grad left by an earlier backward: not zeroed, so this backward adds to it", *accumulated]
    else:
        out.append("optimizer.zero_grad()")
    body = ["y_hat = model(x)", "loss = loss_function(y_hat, y)", "loss.backward()"]
    if passes > 1:
        out += [f"for _ in range({passes}):  # backward again without zero_grad: .grad adds up",
                *("    " + line for line in body)]
    else:
        out += body
    out += ['print("loss =", repr(loss.item()))',
            "for name, p in model.named_parameters():",
            '    print(f"grad {name} = {p.grad.tolist() if p.grad is not None else None}")',
            "optimizer.step()",
            "for name, p in model.named_parameters():",
            '    print(f"{name} after = {p.tolist()}")']
    return "\n".join(out) + "\n"

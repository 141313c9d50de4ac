"""Kokoro's decoder with float convolutions, so ONNX Runtime can spread them over the cores.

The int8 export runs each convolution as ``DynamicQuantizeLinear → ConvInteger → (Add bias) → Cast →
Mul scale``. ONNX Runtime's ``ConvInteger`` runs on one thread, and the decoder's convolutions are
nearly all of its time: on 2 cores half the machine waits. :func:`float_convolutions` replaces each such
chain by one float ``Conv`` whose weights are the int8 weights times their scale (the values the int8
model computes with, not new ones) and whose bias is the float bias the chain rounds; the input is no
longer rounded to 8 bits on the way. The audio differs from the int8 graph's about as much as two
runs of the int8 graph over different spans (see :mod:`~streamkit.speech.frames`), and Conv runs
on every core ONNX Runtime is given.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

__all__ = ["NotQuantized", "float_convolutions"]


class NotQuantized(Exception):
    """A convolution chain that is not the int8 export's pattern (another export)."""


def float_convolutions(proto: Any) -> int:
    """Replace every dynamically quantised convolution of ``proto`` (in place); the number replaced."""
    from onnx import helper, numpy_helper

    graph = proto.graph
    produced = {out: node for node in graph.node for out in node.output}
    consumers: defaultdict[str, list[Any]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)
    weights = {init.name: init for init in graph.initializer}

    def array(name: str) -> np.ndarray:
        if name not in weights:
            raise NotQuantized(f"{name} is not a constant")
        return numpy_helper.to_array(weights[name])

    replaced: dict[int, Any] = {}
    dropped: set[int] = set()
    added = []
    for conv in [n for n in graph.node if n.op_type == "ConvInteger"]:
        chain, source, bias, scale = _chain(conv, produced, consumers, weights)
        w = (array(conv.input[1]).astype(np.float32) - array(conv.input[3]).astype(np.float32)) * array(scale)
        name = f"{conv.input[1]}_float"
        added.append(numpy_helper.from_array(w.astype(np.float32), name))
        node = helper.make_node("Conv", [source, name, *([bias] if bias else [])], [chain[-1].output[0]],
                                name=f"{conv.name or conv.output[0]}_float")
        node.attribute.extend(conv.attribute)
        replaced[id(conv)] = node
        dropped.update(id(n) for n in chain[1:])
    nodes = [replaced.get(id(n), n) for n in graph.node if id(n) not in dropped]
    _keep_needed(graph, nodes, added)
    return len(replaced)


def _chain(conv: Any, produced: dict[str, Any], consumers: dict[str, list[Any]],
           weights: dict[str, Any]) -> tuple[list[Any], str, str | None, str]:
    """``(nodes from conv to its float output, float input, float bias or None, weight scale)``."""

    def only(name: str, op: str) -> Any:
        found = consumers.get(name, [])
        if len(found) != 1 or found[0].op_type != op:
            raise NotQuantized(f"{name} does not go to one {op}")
        return found[0]

    quantize = produced.get(conv.input[0])
    if quantize is None or quantize.op_type != "DynamicQuantizeLinear":
        raise NotQuantized(f"{conv.name} does not read a DynamicQuantizeLinear")
    chain, bias = [conv], None
    after = consumers.get(conv.output[0], [])
    if after and after[0].op_type == "Add":
        add = only(conv.output[0], "Add")
        bias = _float_bias(produced, add.input[1], weights)
        chain.append(add)
    cast = only(chain[-1].output[0], "Cast")
    mul = only(cast.output[0], "Mul")
    chain += [cast, mul]
    scales = produced.get(mul.input[1])
    constant = [i for i in (scales.input if scales is not None and scales.op_type == "Mul" else []) if i in weights]
    if len(constant) != 1:
        raise NotQuantized(f"{mul.name} does not scale by one constant weight scale")
    return chain, quantize.input[0], bias, constant[0]


def _float_bias(produced: dict[str, Any], name: str, weights: dict[str, Any]) -> str:
    """The float bias behind ``Reshape(Cast(Floor(Div(bias, scale))))`` (the chain's int32 bias)."""
    node, path = produced.get(name), []
    for op in ("Reshape", "Cast", "Floor", "Div"):
        if node is None or node.op_type != op:
            raise NotQuantized(f"the bias of {name} is not Reshape(Cast(Floor(Div(bias, scale))))")
        path.append(node)
        node = produced.get(node.input[0]) if op != "Div" else None
    bias = path[-1].input[0]
    if bias not in weights:
        raise NotQuantized(f"the bias {bias} is not a constant")
    return bias


def _keep_needed(graph: Any, nodes: list[Any], added: list[Any]) -> None:
    """Set ``graph``'s nodes to those the outputs need and its constants to those still read."""
    needed = {out.name for out in graph.output}
    kept = []
    for node in reversed(nodes):
        if any(out in needed for out in node.output):
            kept.append(node)
            needed.update(i for i in node.input if i)
    kept.reverse()
    del graph.node[:]
    graph.node.extend(kept)
    constants = [c for c in [*graph.initializer, *added] if c.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(constants)

"""Float convolutions from a dynamically quantised graph (the pattern ONNX Runtime's quantize_dynamic and
Kokoro's int8 export write): same output as the float model it came from, to the rounding of 8 bits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

from streamkit.speech.dequantize import NotQuantized, float_convolutions


def conv_model(path: Path, bias: bool) -> None:
    """x (1, 8, 64) → Conv1d(8 → 16, kernel 5, pad 2) → LeakyRelu → Conv1d(16 → 4, kernel 3, pad 1)."""
    rng = np.random.default_rng(7)
    inits = [numpy_helper.from_array(rng.normal(0, 0.3, (16, 8, 5)).astype(np.float32), "w1"),
             numpy_helper.from_array(rng.normal(0, 0.3, (4, 16, 3)).astype(np.float32), "w2")]
    if bias:
        inits += [numpy_helper.from_array(rng.normal(0, 0.1, 16).astype(np.float32), "b1"),
                  numpy_helper.from_array(rng.normal(0, 0.1, 4).astype(np.float32), "b2")]
    nodes = [helper.make_node("Conv", ["x", "w1", *(["b1"] if bias else [])], ["h"], pads=[2, 2]),
             helper.make_node("LeakyRelu", ["h"], ["r"]),
             helper.make_node("Conv", ["r", "w2", *(["b2"] if bias else [])], ["y"], pads=[1, 1])]
    graph = helper.make_graph(nodes, "convs", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 64])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 64])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def run(path: Path, x: np.ndarray) -> np.ndarray:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]


@pytest.mark.parametrize("bias", [True, False])
def test_quantised_convolutions_become_float_again(tmp_path: Path, bias: bool) -> None:
    conv_model(tmp_path / "float.onnx", bias)
    quantize_dynamic(str(tmp_path / "float.onnx"), str(tmp_path / "int8.onnx"), weight_type=QuantType.QUInt8,
                     op_types_to_quantize=["Conv"])
    proto = onnx.load(str(tmp_path / "int8.onnx"))
    assert [n.op_type for n in proto.graph.node].count("ConvInteger") == 2
    assert float_convolutions(proto) == 2
    left = {n.op_type for n in proto.graph.node}
    assert "Conv" in left and not left & {"ConvInteger", "DynamicQuantizeLinear", "Cast"}  # the int8 chains are gone
    onnx.save(proto, str(tmp_path / "back.onnx"))
    x = np.random.default_rng(1).normal(0, 1, (1, 8, 64)).astype(np.float32)
    exact, int8, back = run(tmp_path / "float.onnx", x), run(tmp_path / "int8.onnx", x), run(tmp_path / "back.onnx", x)
    assert np.abs(back - exact).max() < 0.1 * np.abs(exact).max()  # only the weights' 8 bits differ
    assert np.abs(back - exact).mean() <= np.abs(int8 - exact).mean()  # the input is no longer rounded


def test_another_pattern_is_refused(tmp_path: Path) -> None:
    conv_model(tmp_path / "float.onnx", bias=True)
    quantize_dynamic(str(tmp_path / "float.onnx"), str(tmp_path / "int8.onnx"), op_types_to_quantize=["Conv"])
    proto = onnx.load(str(tmp_path / "int8.onnx"))
    quantize = next(n for n in proto.graph.node if n.op_type == "DynamicQuantizeLinear")
    conv = next(n for n in proto.graph.node if n.op_type == "ConvInteger" and n.input[0] == quantize.output[0])
    conv.input[0] = "x"  # the convolution no longer reads the quantiser
    with pytest.raises(NotQuantized, match="DynamicQuantizeLinear"):
        float_convolutions(proto)

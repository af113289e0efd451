"""Deployment paths for server targets fit the team's models and hardware."""

from __future__ import annotations

from typing import Any

from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.paths import plan_paths


def _path(book: Rulebook, candidate: str, target: str, **facts: Any) -> str:
    plans, _ = plan_paths(book, {"deployment_targets": [target], **facts}, candidate)
    assert len(plans) == 1
    return plans[0].path_id


def test_pytorch_gpu_default_is_torch_compile_in_a_python_service(book: Rulebook) -> None:
    path = _path(
        book, "pytorch", "cloud_gpu", hardware=["nvidia_gpu"], model_families=["vision_cnn"]
    )
    assert path == "pt-cloud-gpu-python-compile"


def test_llms_go_to_an_llm_engine_in_either_framework(book: Rulebook) -> None:
    facts: dict[str, Any] = {"hardware": ["nvidia_gpu"], "model_families": ["llm"]}
    assert _path(book, "pytorch", "cloud_gpu", **facts) == "pt-cloud-gpu-vllm"
    assert _path(book, "tensorflow", "cloud_gpu", **facts) == "tf-cloud-gpu-llm-no-engine"


def test_tensorflow_gpu_default_is_tf_serving_without_llms(book: Rulebook) -> None:
    path = _path(
        book, "tensorflow", "cloud_gpu", hardware=["nvidia_gpu"], model_families=["vision_cnn"]
    )
    assert path == "tf-cloud-gpu-tf-serving"


def test_no_cuda_or_tensorrt_steps_for_an_amd_fleet(book: Rulebook) -> None:
    for candidate in ("pytorch", "tensorflow"):
        plans, _ = plan_paths(
            book, {"deployment_targets": ["cloud_gpu"], "hardware": ["amd_gpu"]}, candidate
        )
        text = " ".join([*plans[0].steps, plans[0].summary])
        assert "CUDA" not in text and "Triton Inference" not in text
        assert "tensorrt" not in plans[0].path_id and "triton" not in plans[0].path_id


def test_triton_routes_apply_only_to_nvidia_fleets(book: Rulebook) -> None:
    triton = [p for p in book.paths if "triton" in p.id]
    assert triton
    for path in triton:
        facts = {"deployment_targets": [path.target], "hardware": ["amd_gpu"]}
        assert path.when is not None
        plans, _ = plan_paths(book, facts, path.candidate)
        assert plans[0].path_id != path.id


def test_server_onnx_routes_use_keras_export_not_tf2onnx_first(book: Rulebook) -> None:
    onnx_routes = [
        p
        for p in book.paths
        if p.candidate == "tensorflow"
        and p.target in ("cloud_gpu", "cpu_server")
        and "onnx" in p.id
    ]
    assert onnx_routes
    for path in onnx_routes:
        assert 'format="onnx"' in path.steps[0]

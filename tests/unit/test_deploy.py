"""Deploy files say what the README promises: CPU torch, a non-root user, a health check, the same
dependencies as pyproject.toml, Spaces' header, sticky sessions and a shared cookie secret."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _names(reqs: list[str]) -> set[str]:
    return {re.split(r"[<>=\[ ]", r.strip(), maxsplit=1)[0].lower() for r in reqs if r.strip()}


def test_requirements_match_pyproject_and_pin_the_cpu_torch():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = [ln for ln in (ROOT / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    reqs = [ln for ln in lines if not ln.startswith("--")]
    assert _names(reqs) == _names(deps)
    assert any(r.startswith("torch==") and r.endswith("+cpu") for r in reqs)


def test_the_dockerfile_runs_as_a_user_with_cpu_torch_and_a_health_check():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER app$", text, re.M)
    assert "download.pytorch.org/whl/cpu" in text
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    assert text.index("USER app") < text.index("CMD [")


def test_spaces_header_and_scaling_files():
    header = (ROOT / "deploy/huggingface/README.md").read_text().split("---")[1]
    assert "sdk: docker" in header and "app_port: 8501" in header
    assert "ENABLE_XSRF_PROTECTION=false" in (ROOT / "deploy/huggingface/README.md").read_text()
    assert "ip_hash" in (ROOT / "deploy/nginx.conf").read_text()
    compose = (ROOT / "deploy/docker-compose.yml").read_text()
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in compose

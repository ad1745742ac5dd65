"""Every documented route has hostile inputs in the hostile-input benchmark (`make bench`), so a
new route cannot be added without its long and deep inputs being tried (issue 18)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_documented_route_has_hostile_inputs():
    bench = load("bench_hostile")
    documented = bench.documented_routes()
    assert ("POST", "/api/tx/prepare") in documented
    assert documented - set(bench.ROUTES) == set(), "add hostile inputs for these routes to scripts/bench_hostile.py"
    assert set(bench.ROUTES) - documented == set(), "these routes are not in docs/openapi.yaml"

"""SciPy peer of `npm run bench`: solves an ExoMI network exported by src/network/export-python.ts.

Usage: python3 scipy_driver.py MODULE.py SPEC.json
SPEC: {"y0": [...], "times": [...], "rtol": r, "atol": a, "method": "RK45", "repeats": k}
Times solve_ivp only (not the import), repeats it, prints one JSON object: median and all wall
times (ms), SciPy's counters (nfev, njev), the accepted steps (counted once, outside the timing, by
driving the same solver class step by step) and the states at the output times.
"""
import importlib.util
import json
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.integrate._ivp.ivp import METHODS


def load(path):
    spec = importlib.util.spec_from_file_location("exomi_network", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def count_steps(rhs, method, t0, t1, y0, rtol, atol):
    solver = METHODS[method](rhs, t0, np.array(y0), t1, rtol=rtol, atol=atol)
    steps = 0
    while solver.status == "running":
        solver.step()
        steps += 1
    return steps


def main():
    module = load(sys.argv[1])
    with open(sys.argv[2]) as f:
        spec = json.load(f)
    times = spec["times"]
    y0 = np.array(spec["y0"], dtype=float)
    method = spec.get("method", "RK45")
    ms = []
    sol = None
    for _ in range(spec.get("repeats", 3)):
        t = time.perf_counter()
        sol = solve_ivp(module.rhs, (times[0], times[-1]), y0, method=method, t_eval=times,
                        rtol=spec["rtol"], atol=spec["atol"])
        ms.append((time.perf_counter() - t) * 1e3)
        if not sol.success:
            raise SystemExit(f"solve_ivp failed: {sol.message}")
    steps = count_steps(module.rhs, method, times[0], times[-1], spec["y0"], spec["rtol"], spec["atol"])
    print(json.dumps({
        "method": method,
        "repeats": len(ms),
        "ms_median": float(np.median(ms)),
        "ms": ms,
        "steps": steps,
        "rhs_evals": int(sol.nfev),
        "jacobians": int(sol.njev),
        "y": sol.y.T.tolist(),
    }))


if __name__ == "__main__":
    main()

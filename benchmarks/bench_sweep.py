"""How much faster is sweep_learning_rates than calling train once per rate?

The learning-rate explorer trains the worked example at a thousand rates. This
script times that sweep (np.linspace(0.001, 0.06, 1000) x 500 steps, best of
3) against train() called once per rate. Timing train on all 1,000 rates
would take a while, so it times an evenly spaced sample of them (every regime:
converging, oscillating, diverging) and scales up by the number of rates; the
output says so. It also checks that the sweep's errors are identical to
train's for every sampled rate, then records the result under the key "sweep"
in benchmarks/results.json (other benchmarks keep their own keys there).

    python -m benchmarks.bench_sweep
    python benchmarks/bench_sweep.py --rates 200 --epochs 100   # a quicker run

Not a test: nothing here asserts anything about time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"

try:
    from helpers.examples import WORKED_EXAMPLE
    from helpers.network import sweep_learning_rates, train
except ModuleNotFoundError:  # run as a file from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))
    from helpers.examples import WORKED_EXAMPLE
    from helpers.network import sweep_learning_rates, train


def _best_of(repeat, fn):
    """The shortest of ``repeat`` wall-clock timings of ``fn()``, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _same_errors(sweep, r, history):
    """Row ``r`` of the sweep is exactly train's history (then nan), same divergence step."""
    n = len(history.errors)
    d = int(sweep.diverged_at[r])
    return (
        np.array_equal(sweep.errors[r, :n], history.errors)
        and bool(np.all(np.isnan(sweep.errors[r, n:])))
        and (d == -1) == (history.diverged_at is None)
        and (history.diverged_at is None or d == history.diverged_at)
    )


def _update_results(key, entry, path=RESULTS):
    """Read-modify-write ``path``: set ``key`` and keep every other benchmark's keys."""
    path = Path(path)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = entry
    # Write a temporary file and move it into place, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".results.", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def run(n_rates=1000, epochs=500, sample=50, repeat=3, write=True):
    """Time the sweep against per-rate train; return (and by default record) the numbers."""
    ex = WORKED_EXAMPLE
    lrs = np.linspace(0.001, 0.06, n_rates)
    picked = np.unique(np.linspace(0, n_rates - 1, min(sample, n_rates)).round().astype(int))

    sweep_seconds, sweep = _best_of(
        repeat, lambda: sweep_learning_rates(ex.layers, ex.x, ex.target, lrs, epochs)
    )
    sample_seconds, histories = _best_of(
        repeat, lambda: [train(ex.layers, ex.x, ex.target, lrs[r], epochs) for r in picked]
    )
    identical = all(_same_errors(sweep, r, h) for r, h in zip(picked, histories))

    per_rate = sample_seconds / len(picked)
    train_all = per_rate * n_rates
    return_value = {
        "n_rates": int(n_rates),
        "lr_range": [float(lrs[0]), float(lrs[-1])],
        "epochs": int(epochs),
        "repeat": int(repeat),
        "sweep_seconds": sweep_seconds,
        "train_sampled_rates": len(picked),
        "train_sample_seconds": sample_seconds,
        "train_seconds_per_rate": per_rate,
        "train_all_rates_seconds_extrapolated": train_all,
        "speedup": train_all / sweep_seconds,
        "errors_identical_on_sample": bool(identical),
        "diverged_rates": int(np.sum(sweep.diverged)),
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if write:
        _update_results("sweep", return_value)
    return return_value


def _report(r):
    n, k = r["n_rates"], r["train_sampled_rates"]
    lo, hi = r["lr_range"]
    print(f"Learning-rate sweep on the worked example: {n} rates in [{lo:g}, {hi:g}],")
    print(f"{r['epochs']} steps each ({r['diverged_rates']} of them diverge and stop early).")
    print(f"train was timed on {k} evenly spaced rates (the same mix of regimes) and the")
    print(f"time scaled up x{n / k:g} to {n} rates: train's total is an extrapolation.")
    print(f"Best of {r['repeat']} runs each.\n")
    rows = [
        ("sweep_learning_rates, all rates", f"{r['sweep_seconds']:.3f} s"),
        (f"train, {k} sampled rates (measured)", f"{r['train_sample_seconds']:.3f} s"),
        (
            f"train, all {n} rates (extrapolated)",
            f"{r['train_all_rates_seconds_extrapolated']:.3f} s",
        ),
        ("speedup", f"{r['speedup']:.1f}x"),
        (
            f"errors identical on the {k} sampled rates",
            "yes" if r["errors_identical_on_sample"] else "NO",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value:>10}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rates", type=int, default=1000, help="number of learning rates (1000)")
    p.add_argument("--epochs", type=int, default=500, help="steps per rate (500)")
    p.add_argument("--sample", type=int, default=50, help="rates timed with train (50)")
    p.add_argument("--repeat", type=int, default=3, help="timings to take the best of (3)")
    p.add_argument("--no-write", action="store_true", help="do not update results.json")
    args = p.parse_args(argv)
    result = run(args.rates, args.epochs, args.sample, args.repeat, write=not args.no_write)
    _report(result)
    if not args.no_write:
        print(f"\nwrote the key 'sweep' in {RESULTS.relative_to(ROOT)}")
    return 0 if result["errors_identical_on_sample"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""benchmarks/results.json: every benchmark adds its own key."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def load():
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def save(key, value):
    data = load()
    data[key] = value
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")

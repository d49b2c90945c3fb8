"""Quiet JupyterLab for a class: no "news" pop-up over the notebook.

Copies tools/lab-overrides.json into this environment's JupyterLab settings
(share/jupyter/lab/settings/overrides.json). Run by ``make lab``/``make test``.
"""

import json
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "lab-overrides.json"


def main():
    target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    wanted = json.loads(SOURCE.read_text())
    current = json.loads(target.read_text()) if target.exists() else {}
    if current != {**current, **wanted}:
        target.write_text(json.dumps({**current, **wanted}, indent=2) + "\n")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()

"""Lets the notebooks in this folder import the course's ``helpers`` without installing them.

A Jupyter kernel starts in the notebook's folder and looks for imports there
first. ``import helpers`` therefore finds this file, which loads the real
package from the ``helpers`` folder beside this ``notebooks`` folder and puts
it in its place: ``helpers.plots``, ``helpers.widgets`` and the rest then come
from there. It works the same on Linux, macOS and Windows, on a hub that
pulled the course with nbgitpuller, and on Binder. Nothing to edit here.
"""

import importlib.util
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent / "helpers"

if not (_PACKAGE / "__init__.py").is_file():
    raise ImportError(
        f"The course's helpers folder is missing: expected it at {_PACKAGE}. "
        "Keep the course folder whole: the notebooks folder and the helpers folder "
        "must sit side by side."
    )

_spec = importlib.util.spec_from_file_location(
    __name__, _PACKAGE / "__init__.py", submodule_search_locations=[str(_PACKAGE)]
)
_module = importlib.util.module_from_spec(_spec)
sys.modules[__name__] = _module  # the import statement hands back what is here when done
_spec.loader.exec_module(_module)

"""What the Qt binding does at every import, made light.

Once loaded, PySide6 looks at the source of every module imported after it, to see whether
the module may use PySide's opt-in ``from __feature__ import snake_case``: it calls
``inspect.getsource``, which reads the whole file into Python's line cache, where its lines
stay for good. For the window's some 800 modules that held about 40 MB (a seventh of the
window's peak memory on a large book) and read every file line by line at each start.

``lighten_import_check`` keeps the binding's test and its answer (the file names PySide6) but
reads the file as bytes and lets it go. It changes the binding only where the check is where
this module expects it (``shibokensupport.feature._mod_uses_pyside``, PySide6 6);
``tests/ui/test_qt_binding.py`` fails when a release moves it.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loading the binding installs its import hook)

#: The binding's module holding the check, once PySide6 is loaded.
FEATURE_MODULE = "shibokensupport.feature"


def names_pyside(module: ModuleType) -> bool:
    """Whether ``module``'s source file names PySide6 (the binding's own test)."""
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return False  # no source to look at: as for the binding, which then finds none
    try:
        with open(origin, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def lighten_import_check() -> bool:
    """Put ``names_pyside`` in place of the binding's check; False where it has none."""
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = names_pyside  # type: ignore[attr-defined]  # the binding's own
    return True

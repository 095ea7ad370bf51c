"""Built-in cleaners; importing this package registers them (each declares its stage).

Every module of this folder is imported, so a new cleaner needs no entry anywhere else."""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

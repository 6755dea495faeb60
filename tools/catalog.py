"""The default catalog: every tool module, registered in the order a person reads them."""

from __future__ import annotations

from tools import approvals, feeds, hires, insights, properties, reservations, tasks, workers
from tools.registry import Catalog

MODULES = (properties, feeds, reservations, tasks, workers, hires, approvals, insights)


def default_catalog() -> Catalog:
    """A fresh catalog of every built-in tool (built on call, never at import)."""
    catalog = Catalog()
    for module in MODULES:
        catalog.register_module(module)
    return catalog

"""yhdyspinta: a knowledge graph of the cooperation between Finnish municipalities
and welfare areas.

The package is laid out as the data flows: ``yhdyspinta.ontology`` (terms,
shapes, schemes), ``yhdyspinta.ingest`` (read, map, validate, write a named
graph), ``yhdyspinta.graph`` (stores and analyses) and ``yhdyspinta.api``
(CLI, HTTP, pages). Imports point one way: api -> graph -> store,
ingest -> store.
"""

from yhdyspinta.errors import (
    InputError,
    NotFoundError,
    StoreError,
    ValidationError,
    YhdyspintaError,
)
from yhdyspinta.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "NotFoundError",
    "Settings",
    "StoreError",
    "ValidationError",
    "YhdyspintaError",
    "__version__",
]

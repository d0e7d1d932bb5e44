"""The ontology, the SHACL shapes and the controlled vocabularies.

The Turtle files beside this module are the source of truth; this package
only finds and loads them.
"""

from yhdyspinta.ontology.files import (
    ONTOLOGY_FILES,
    SHAPES_FILE,
    load_ontology,
    load_shapes,
)
from yhdyspinta.ontology.namespaces import BASE, NAMESPACES, YHD

__all__ = [
    "BASE",
    "NAMESPACES",
    "ONTOLOGY_FILES",
    "SHAPES_FILE",
    "YHD",
    "load_ontology",
    "load_shapes",
]

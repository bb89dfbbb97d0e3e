"""How rcsgraph drives pyshacl: a fast view of an Oxigraph store, and less repeated work.

pyshacl is the SHACL engine of record; this module changes nothing it decides, only how much
work it repeats. ``tests/test_validation_engines.py`` checks that every shape fixture gets the
same report with and without these changes.
"""

import inspect
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from threading import Lock
from typing import Any

import pyoxigraph as ox
from pyshacl.constraints.core.shape_based_constraints import (
    PropertyConstraintComponent,
    QualifiedValueShapeConstraintComponent,
    SH_QualifiedMaxCountConstraintComponent,
    SH_QualifiedMinCountConstraintComponent,
)
from pyshacl.graph_abstraction import OxigraphDataGraph
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from rdflib import Literal
from rdflib.namespace import RDFS, SH, NamespaceManager

from rcsgraph.store.terms import to_oxigraph


class OxigraphData(OxigraphDataGraph):
    """pyshacl's view of a ``pyoxigraph.Store``: the union of its graphs, minus three pitfalls.

    1. Truth value. pyshacl 0.40.1 writes ``datagraph or sg`` each time it makes a validation
       result (``pyshacl/constraints/constraint_component.py`` lines 171 and 185 in
       ``make_v_result_description``, line 257 in ``make_v_result``), also for the results of
       ``sh:or`` members and qualified value shapes that it later drops. A graph without
       ``__bool__`` is true when its ``__len__`` is not zero, and ``OxigraphDataGraph.__len__``
       (``pyshacl/graph_abstraction.py`` line 928) counts ``DISTINCT TRIPLE(?s, ?p, ?o)`` over
       the whole store: three full scans per result, quadratic in the data. Ours is just true.
    2. Membership. ``OxigraphDataGraph.__contains__`` (line 907) looks a triple up in the
       default graph alone when the default graph is meant to be the union
       (``ox.Quad(s, p, o, None)`` names the default graph); ours looks in every graph.
    3. Literal subjects. ``objects`` and ``predicate_objects`` (lines 864 and 810) pass a
       literal subject on to Oxigraph, which raises ``TypeError`` (when a value of ``sh:class``
       has a literal ``rdf:type``, say); like rdflib, ours finds nothing.

    Its namespace manager also writes IRIs whole (see ``WholeIris``), and it remembers each
    class's superclasses for the length of a validation (see ``transitive_objects``).
    """

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self._default_union = True  # what the default_union setter does for Oxigraph
        self._whole_iris: NamespaceManager = WholeIris(self._default_graph, bind_namespaces="core")
        self._superclasses: dict[Any, tuple[Any, ...]] = {}  # the data is not changed meanwhile

    @property
    def namespace_manager(self) -> NamespaceManager:
        return self._whole_iris

    @namespace_manager.setter
    def namespace_manager(self, manager: NamespaceManager) -> None:
        self._whole_iris = manager

    def __bool__(self) -> bool:
        return True

    def transitive_objects(
        self, subject: Any, predicate: Any, remember: dict[Any, int] | None = None
    ) -> Generator[Any, None, None]:
        """The superclasses of a class, looked up once per validation (``sh:class`` asks
        again for every value node); any other walk as pyshacl does it."""
        if predicate != RDFS.subClassOf or remember is not None:
            yield from super().transitive_objects(subject, predicate, remember)
            return
        if subject not in self._superclasses:
            found = super().transitive_objects(subject, predicate)
            self._superclasses[subject] = tuple(found)
        yield from self._superclasses[subject]

    def objects(
        self, subject: Any = None, predicate: Any = None, unique: bool = False
    ) -> Generator[Any, None, None]:
        if not isinstance(subject, Literal):
            yield from super().objects(subject, predicate, unique)

    def predicate_objects(
        self, subject: Any = None, unique: bool = False
    ) -> Generator[tuple[Any, Any], None, None]:
        if not isinstance(subject, Literal):
            yield from super().predicate_objects(subject, unique)

    def __contains__(self, triple: object) -> bool:
        if not isinstance(triple, tuple) or len(triple) != 3:
            return False
        s, p, o = (None if t is None else to_oxigraph(t) for t in triple)
        if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode | None):
            return False
        return next(self.impl.quads_for_pattern(s, p, o, None), None) is not None


class WholeIris(NamespaceManager):
    """Names every IRI in full, for pyshacl's text report, which ``Report`` does not use.

    pyshacl writes a text description of every result, also of the many it drops (inside
    ``sh:or`` and qualified value shapes). rdflib's ``normalizeUri`` files the namespace of
    each IRI it writes in a trie, scanning the trie's keys; every claim's ``…#evidence`` has a
    namespace of its own, so that costs time quadratic in the number of claims.
    """

    def normalizeUri(self, rdfTerm: str) -> str:
        return f"<{rdfTerm}>"


# ---------------------------------------------------------------- work pyshacl repeats

#: The methods replaced while ``shortcuts`` are in force, and the parameters that the
#: replacements rely on (pyshacl 0.40).
_PER_NODE: Any = PropertyConstraintComponent._evaluate_property_shape
_CHECK_SPARQL: Any = SPARQLQueryHelper.check_invalid_sparql
_QUALIFIED_PER_NODE: Any = QualifiedValueShapeConstraintComponent._evaluate_value_shape
_EXPECTED_PARAMETERS = {
    _PER_NODE: [
        *("self", "executor", "prop_shape", "target_graph", "focus_value_nodes"),
        *("potentially_recursive", "_evaluation_path"),
    ],
    _CHECK_SPARQL: ["self", "sparql_text", "valuenode", "extravars"],
    _QUALIFIED_PER_NODE: [
        *("self", "executor", "_v_shape", "target_graph", "focus_value_nodes"),
        *("potentially_recursive", "_evaluation_path"),
    ],
}
_lock = Lock()
_users = 0
_sparql_checked: dict[tuple[str, bool, frozenset[str]], Any] = {}


def _in_one_batch(
    self: Any,
    executor: Any,
    prop_shape: Any,
    target_graph: Any,
    focus_value_nodes: dict[Any, Any],
    potentially_recursive: Any,
    _evaluation_path: list[Any],
) -> tuple[bool, list[Any]]:
    """``sh:property``: validate every value node against the property shape in one call.

    pyshacl calls the property shape once per value node, and each call looks up the shape's
    parameters in the shapes graph again and builds its constraint components anew: at 100k
    triples that was 131,056 calls and half the time of validation. One call with all the
    value nodes as focus nodes gives the same results, since a property shape's results for
    one focus node do not depend on the others. Anything unusual is left to pyshacl.
    """
    found = self.shape.get_other_shape(prop_shape)
    unusual = not found or not found.is_property_shape
    if unusual or (potentially_recursive and found in potentially_recursive):
        return _PER_NODE(  # type: ignore[no-any-return]
            self,
            executor,
            prop_shape,
            target_graph,
            focus_value_nodes,
            potentially_recursive,
            _evaluation_path,
        )
    nodes = list(dict.fromkeys(v for values in focus_value_nodes.values() for v in values))
    if not nodes:
        return False, []
    conforms, reports = found.validate(
        executor, target_graph, focus=nodes, _evaluation_path=_evaluation_path[:]
    )
    return not conforms, reports


def _qualified_in_one_batch(
    self: Any,
    executor: Any,
    _v_shape: Any,
    target_graph: Any,
    focus_value_nodes: dict[Any, Any],
    potentially_recursive: Any,
    _evaluation_path: list[Any],
) -> tuple[bool, list[Any]]:
    """``sh:qualifiedValueShape``: which value nodes conform, found in one call, then counted.

    pyshacl validates each value node against the qualified shape on its own (every label of
    every entity, every selector of every claim: a third of validating the 1M-triple graph).
    One call with all of them as focus nodes finds the same nodes failing: those that are the
    focus node of a result. The counts and their results are then made as pyshacl makes them.
    Disjoint qualified shapes, and shapes whose results are not violations, are left to it.
    """
    other = self.shape.get_other_shape(_v_shape)
    recursive = potentially_recursive and other in potentially_recursive
    if self.is_disjoint or not other or recursive or other.severity != SH.Violation:
        return _QUALIFIED_PER_NODE(  # type: ignore[no-any-return]
            self,
            executor,
            _v_shape,
            target_graph,
            focus_value_nodes,
            potentially_recursive,
            _evaluation_path,
        )
    values = list(dict.fromkeys(v for found in focus_value_nodes.values() for v in found))
    failing = set()
    if values:
        _, reports = other.validate(
            executor, target_graph, focus=values, _evaluation_path=_evaluation_path[:]
        )
        for _, _, triples in reports:
            failing |= {o[1] for _, p, o in triples if p == SH.focusNode}
    non_conformant, results = False, []
    for focus, found in focus_value_nodes.items():
        conforming = sum(1 for v in found if v not in failing)
        for limit, too_many, component in (
            (self.max_count, True, SH_QualifiedMaxCountConstraintComponent),
            (self.min_count, False, SH_QualifiedMinCountConstraintComponent),
        ):
            if limit is not None and (conforming > limit if too_many else conforming < limit):
                non_conformant = True
                results.append(
                    self.make_v_result(target_graph, focus, constraint_component=component)
                )
    return non_conformant, results


def _check_sparql_once(
    self: Any, sparql_text: str, valuenode: Any = None, extravars: Any = None
) -> Any:
    """A SPARQL constraint's text checked once, not once per focus node.

    pyshacl checks the text with six regular expressions (no MINUS, VALUES or SERVICE, …)
    before each focus node's query: 1.1 s of the 2.3 s of validating one bundle against the
    1M-triple graph. The outcome depends only on the text, on whether there is a value node
    and on the extra variables; a text that fails is checked (and fails) every time.
    """
    key = (sparql_text, valuenode is None, frozenset(extravars or ()))
    if key not in _sparql_checked:
        _sparql_checked[key] = _CHECK_SPARQL(self, sparql_text, valuenode, extravars)
    return _sparql_checked[key]


def shortcuts_apply() -> bool:
    """Whether the installed pyshacl has the methods ``shortcuts`` replaces, as expected."""
    return all(
        list(inspect.signature(method).parameters) == expected
        for method, expected in _EXPECTED_PARAMETERS.items()
    )


@contextmanager
def shortcuts() -> Iterator[None]:
    """Within this block pyshacl repeats less work: see ``_in_one_batch``,
    ``_qualified_in_one_batch`` and ``_check_sparql_once``.

    Safe across threads: the replacements stay while any thread is inside the block, and both
    ways give the same results. With a pyshacl whose methods differ, nothing is replaced.
    """
    global _users
    if not shortcuts_apply():
        yield
        return
    with _lock:
        _users += 1
        PropertyConstraintComponent._evaluate_property_shape = _in_one_batch  # type: ignore[method-assign]
        SPARQLQueryHelper.check_invalid_sparql = _check_sparql_once  # type: ignore[method-assign]
        QualifiedValueShapeConstraintComponent._evaluate_value_shape = _qualified_in_one_batch  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                PropertyConstraintComponent._evaluate_property_shape = _PER_NODE  # type: ignore[method-assign]
                SPARQLQueryHelper.check_invalid_sparql = _CHECK_SPARQL  # type: ignore[method-assign]
                QualifiedValueShapeConstraintComponent._evaluate_value_shape = _QUALIFIED_PER_NODE  # type: ignore[method-assign]

"""The SHACL shapes: the bundled data conforms, and every constraint of every shape fires.

Each file of ``tests/data/shapes/`` is a failing example. It opens with comment lines:

    # What the example breaks, in a sentence or two.
    # base: ontology | bundled
    # expect: FOCUS SHAPE COMPONENT

``base`` is the graph the example is applied to: a copy of the ontology alone (quick; the example
need not be complete, so results besides the expected ones may appear) or a copy of the ontology
and bundled data (then the results beyond the bundled data's own must be exactly the expected
ones). A ``.ttl`` example is added to that graph; a ``.ru`` example is a SPARQL Update run on it,
for changes that delete or replace triples. Each ``expect`` line names one validation result by
its focus node, ``sh:sourceShape`` and ``sh:sourceConstraintComponent``, as CURIEs with the
example's own prefixes plus ``rcsh:`` and ``sh:``.

Validation follows the project's contract: the ontology merged into the data graph, all of
``shapes/`` as the shapes graph, ``inference="none"``, ``advanced=True``.
"""

import re
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, Node, URIRef
from rdflib.namespace import RDF, RDFS, SH

from rcsgraph import resources
from rcsgraph.graph.loading import load_graph

FIXTURES = Path(__file__).parent / "data" / "shapes"
FIXTURE_FILES = sorted([*FIXTURES.glob("*.ttl"), *FIXTURES.glob("*.ru")])
RCSH = Namespace("https://w3id.org/rcsgraph/shapes#")
SERVICE = URIRef("https://w3id.org/rcsgraph/id/service/ircs-medical-services-abroad")

#: One validation result: focus node, source shape, constraint component.
Key = tuple[Node, Node, Node]

#: The constraint component of each constraint parameter our shapes use.
COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}

#: Predicates of a shape that declare no constraint of their own.
NOT_CONSTRAINTS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.message,
    SH.severity,
    SH.path,
    SH.property,
    SH.qualifiedValueShape,
    SH.target,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
}

#: Every shape that is not a violation: these report suspicious data or notes, by design.
SEVERITIES = {
    RCSH.FacilityCountShape: SH.Info,
    RCSH.FacilityCountExceededShape: SH.Warning,
    RCSH.CountryCountShape: SH.Warning,
    RCSH.NotAfterPublicationShape: SH.Warning,
    RCSH.SpeakerTookPartShape: SH.Warning,
    RCSH.TechnologyShape: SH.Warning,
    RCSH.EventShape: SH.Warning,
    RCSH["Role-heldIn"]: SH.Warning,
    RCSH["Award-conferral"]: SH.Warning,
    RCSH["Claim-predicateEvidenced"]: SH.Warning,
}

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w-]*):\s*<([^>]*)>", re.I | re.M)


@dataclass(frozen=True)
class Example:
    """A failing example: the file, the graph it applies to, the results it must produce."""

    path: Path
    base: str
    expected: frozenset[Key]


def read_example(path: Path) -> Example:
    """Read the header of a failing example (see the module docstring)."""
    text = path.read_text(encoding="utf-8")
    prefixes = {**dict(_PREFIX.findall(text)), "rcsh": str(RCSH), "sh": str(SH)}
    header = [line[1:].strip() for line in takewhile(_is_comment, text.splitlines())]
    fields = [line.partition(":")[::2] for line in header if line.startswith(("base:", "expect:"))]
    bases = [value.strip() for name, value in fields if name == "base"]
    expected = frozenset(
        _expectation(value, prefixes, path.name) for name, value in fields if name == "expect"
    )
    if bases not in (["ontology"], ["bundled"]) or not expected:
        pytest.fail(f"{path.name}: needs one '# base: ontology|bundled' and some '# expect:' lines")
    return Example(path, bases[0], expected)


def _is_comment(line: str) -> bool:
    return line.startswith("#")


def _expectation(value: str, prefixes: dict[str, str], where: str) -> Key:
    curies = value.split()
    if len(curies) != 3:
        pytest.fail(f"{where}: an expect line is FOCUS SHAPE COMPONENT, not {value!r}")
    focus, shape, component = (_expand(curie, prefixes, where) for curie in curies)
    return focus, shape, component


def _expand(curie: str, prefixes: dict[str, str], where: str) -> URIRef:
    prefix, colon, local = curie.partition(":")
    if not colon or prefix not in prefixes:
        pytest.fail(f"{where}: {curie!r} uses an undeclared prefix")
    return URIRef(prefixes[prefix] + local)


def run_shapes(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """Validate as the project does; the conformance flag and the report graph."""
    conforms, report, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
    )
    return conforms, report


def result_keys(report: Graph) -> set[Key]:
    """Focus node, source shape and component of every result of a report."""
    return {
        (
            report.value(result, SH.focusNode),
            report.value(result, SH.sourceShape),
            report.value(result, SH.sourceConstraintComponent),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }


def show(keys: set[Key]) -> str:
    """Results as readable lines, for assertion messages."""
    names = Graph()
    names.bind("rcsh", RCSH)
    names.bind("sh", SH)
    lines = (" ".join(node.n3(names.namespace_manager) for node in key) for key in keys)
    return "\n  " + "\n  ".join(sorted(lines))


def show_pairs(pairs: set[tuple[Node, Node]]) -> str:
    """(shape, component) pairs as readable lines, for assertion messages."""
    return show({(RDF.nil, shape, component) for shape, component in pairs}).replace("rdf:nil ", "")


def named_shapes(shapes: Graph) -> set[Node]:
    """Every node shape and property shape declared as such."""
    kinds = (SH.NodeShape, SH.PropertyShape)
    return {shape for kind in kinds for shape in shapes.subjects(RDF.type, kind)}


def own_constraints(shapes: Graph, shape: Node) -> set[URIRef]:
    """The constraint components a shape declares itself (not through sh:property)."""
    components = set()
    for predicate in set(shapes.predicates(shape, None)):
        if predicate in NOT_CONSTRAINTS:
            continue
        if predicate not in COMPONENTS:
            pytest.fail(f"{shape}: add {predicate} to COMPONENTS or NOT_CONSTRAINTS")
        components.add(COMPONENTS[predicate])
    return components


def messages(shapes: Graph, shape: Node) -> list[Node]:
    """The messages of a shape, including those of its SPARQL constraints."""
    found = [*shapes.objects(shape, SH.message)]
    for constraint in shapes.objects(shape, SH.sparql):
        found += shapes.objects(constraint, SH.message)
    return found


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_graph(resources.shapes_files())


@pytest.fixture(scope="session")
def bundled_report(graph: Graph, shapes: Graph) -> tuple[bool, Graph]:
    return run_shapes(graph, shapes)


def test_bundled_data_conforms_with_one_note(bundled_report: tuple[bool, Graph]) -> None:
    conforms, report = bundled_report
    assert conforms
    facility_note = (SERVICE, RCSH.FacilityCountShape, SH.SPARQLConstraintComponent)
    assert result_keys(report) == {facility_note}, show(result_keys(report))
    (result,) = report.subjects(RDF.type, SH.ValidationResult)
    assert report.value(result, SH.resultSeverity) == SH.Info
    message = str(report.value(result, SH.resultMessage))
    assert "states 14 facilities" in message
    assert "identifies none of them" in message and "13 facility nodes" in message


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.name)
def test_failing_example_fires_its_constraints(
    path: Path,
    graph: Graph,
    ontology: Graph,
    shapes: Graph,
    bundled_report: tuple[bool, Graph],
) -> None:
    example = read_example(path)
    data = Graph()
    data += graph if example.base == "bundled" else ontology
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ru":
        data.update(text)
    else:
        data.parse(data=text, format="turtle")
    found = result_keys(run_shapes(data, shapes)[1])
    missing = example.expected - found
    assert not missing, f"expected, not found:{show(missing)}\nfound:{show(found)}"
    if example.base == "bundled":
        extra = found - result_keys(bundled_report[1]) - example.expected
        assert not extra, f"found, not expected:{show(extra)}"


def test_every_constraint_has_a_failing_example(shapes: Graph) -> None:
    declared = {
        (shape, component)
        for shape in named_shapes(shapes)
        for component in own_constraints(shapes, shape)
    }
    covered = {
        (shape, component)
        for path in FIXTURE_FILES
        for _, shape, component in read_example(path).expected
    }
    assert not declared - covered, f"no failing example for:{show_pairs(declared - covered)}"
    assert not covered - declared, f"expected of no shape:{show_pairs(covered - declared)}"


def test_every_shape_is_named_explained_and_checks_something(shapes: Graph) -> None:
    problems = []
    for shape in sorted(named_shapes(shapes)):
        own = own_constraints(shapes, shape)
        english = [m for m in messages(shapes, shape) if getattr(m, "language", None) == "en"]
        if not isinstance(shape, URIRef) or not shape.startswith(RCSH):
            problems.append(f"{shape}: not named under rcsh:")
        if shapes.value(shape, RDFS.label) is None and shapes.value(shape, SH.name) is None:
            problems.append(f"{shape}: no rdfs:label or sh:name")
        if own and not english:
            problems.append(f"{shape}: constraints without an English sh:message")
        if not own and shapes.value(shape, SH.property) is None:
            problems.append(f"{shape}: checks nothing")
    assert not problems, "\n".join(problems)


def test_every_property_shape_is_named(shapes: Graph) -> None:
    unnamed = [
        (shape, value)
        for shape, value in shapes.subject_objects(SH.property)
        if (value, RDF.type, SH.PropertyShape) not in shapes
    ]
    assert not unnamed, f"sh:property values that are not named rcsh: property shapes: {unnamed}"


def test_only_the_listed_shapes_are_warnings_or_notes(shapes: Graph) -> None:
    assert dict(shapes.subject_objects(SH.severity)) == SEVERITIES

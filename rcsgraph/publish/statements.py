"""The statements of one description, indexed by subject and by object.

A description holds a few hundred triples, read a few thousand times while its page is drawn.
An rdflib ``Graph`` costs about 30 µs to add each triple (its memory store keeps six indexes and
the contexts of each), which made it the largest cost of an entity page (the society's page of
the 1M-triple graph added 417 triples for each view). ``Statements`` keeps two dictionaries, is
built once and never changes; its indexes are built on the first read by subject or object
(a description written as Turtle is only iterated).
"""

from collections.abc import Iterable, Iterator

from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_Index = dict[Node, dict[Node, list[Node]]]  # first term -> predicate -> the other terms


class Statements:
    """A set of triples, read by subject (``objects``, ``value``, ``predicate_objects``) and
    by object (``subjects``, ``subject_predicates``)."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = dict.fromkeys(triples)  # in order, once each
        self._indexes: tuple[_Index, _Index] | None = None

    @property
    def _by_subject(self) -> "_Index":
        return (self._indexes or self._index())[0]

    @property
    def _by_object(self) -> "_Index":
        return (self._indexes or self._index())[1]

    def _index(self) -> "tuple[_Index, _Index]":
        by_subject: _Index = {}
        by_object: _Index = {}
        for s, p, o in self._triples:
            by_subject.setdefault(s, {}).setdefault(p, []).append(o)
            by_object.setdefault(o, {}).setdefault(p, []).append(s)
        self._indexes = by_subject, by_object
        return self._indexes

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: Triple) -> bool:
        return triple in self._triples

    def about(self, subject: Node) -> bool:
        """Whether any statement has ``subject`` as its subject."""
        return subject in self._by_subject

    def has(self, subject: Node, predicate: Node) -> bool:
        """Whether ``subject`` has at least one value of ``predicate``."""
        return predicate in self._by_subject.get(subject, {})

    def objects(self, subject: Node | None, predicate: Node) -> list[Node]:
        """The values of ``predicate`` for ``subject``, in the order they came (none for None)."""
        if subject is None:
            return []
        return self._by_subject.get(subject, {}).get(predicate, [])

    def value(self, subject: Node | None, predicate: Node) -> Node | None:
        """One value of ``predicate`` for ``subject`` (the first that came), or None (also when
        ``subject`` is None: a value looked up from a value that was not there)."""
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def subjects(self, predicate: Node, value: Node) -> list[Node]:
        """The subjects that have ``value`` as a value of ``predicate``."""
        return self._by_object.get(value, {}).get(predicate, [])

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        """Every (predicate, value) of ``subject``."""
        for predicate, values in self._by_subject.get(subject, {}).items():
            for value in values:
                yield predicate, value

    def subject_predicates(self, value: Node) -> Iterator[tuple[Node, Node]]:
        """Every (subject, predicate) that links to ``value``."""
        for predicate, subjects in self._by_object.get(value, {}).items():
            for subject in subjects:
                yield subject, predicate

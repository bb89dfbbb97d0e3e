"""Linked-data publication: what a client gets when it dereferences an IRI or asks for the
dataset.

``describe`` reads a thing's bounded description from a source (the endpoint or a store);
``entity`` and ``evidence_view`` shape it for a page, with ``passages`` of the article;
``rdfdoc`` writes any document as RDF; ``ontodoc`` documents the ontology; ``iris`` maps
published IRIs onto local paths.

What needs the whole graph is derived once per store generation: ``derive`` (afresh) and
``increment`` (after an ``add``) write the ``dumps``, the ``void`` figures, the home page's data
(``explorer``) and the ``labels`` index; ``artefacts`` reads them (or computes them ``Live``)
and ``locate`` finds them for a server.

May import: ``rcsgraph.sparql``, ``rcsgraph.queries``, ``rcsgraph.graph``, ``rcsgraph.store``
and the cross-cutting modules. Never ``web``; imports no Flask.
"""

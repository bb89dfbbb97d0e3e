"""Linked-data publication: what a client gets when it dereferences an IRI or asks for the
dataset.

``describe`` reads a thing's bounded description from a source (the endpoint or a store);
``entity`` and ``evidence_view`` shape it for a page, with ``passages`` of the article; ``void``
computes the VoID/DCAT description; ``dumps`` writes the downloads; ``ontodoc`` documents the
ontology; ``rdfdoc`` writes any of these as RDF; ``explorer`` reads the home page's figures, map
and timeline; ``iris`` maps published IRIs onto local paths.

May import: ``rcsgraph.sparql``, ``rcsgraph.queries``, ``rcsgraph.graph``, ``rcsgraph.store``
and the cross-cutting modules. Never ``web``; imports no Flask.
"""

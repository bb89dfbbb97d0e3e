"""The graph: authored RDF turned into a validated knowledge graph, and built into a store.

``loading`` reads files (every way one can be unreadable is an ``InputError``); ``validation``
runs the SHACL shapes (``shacl_engine`` drives pyshacl faster) and ``evidence`` checks every
quote against its text; ``bundle_validation`` checks one new bundle against what is stored;
``report`` shows the results; ``build`` is ``rcsgraph load`` and ``add``; ``export`` writes the
graph in each syntax; ``summary`` counts its key figures. ``annotate`` writes a bundle's claims
and evidence from its facts and an ``evidence_sheet``, warning on quotes that only name their
value (``quote_strength``).

May import: ``rcsgraph.store`` and the cross-cutting top-level modules. Never ``sparql``,
``queries``, ``publish`` or ``web``.
"""

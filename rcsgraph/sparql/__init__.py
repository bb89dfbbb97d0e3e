"""The SPARQL service, independent of HTTP: a request checked, negotiated, run and answered.

``scan`` reads a request before any engine does (form, dataset, SERVICE, LOAD, depth);
``endpoint`` applies the policy and limits and negotiates (``conneg``) the answer's type;
``executor`` runs each ``job`` in a killable ``worker`` process; ``results`` and ``rendering``
write answers in the SPARQL result formats and RDF syntaxes.

May import: ``rcsgraph.store``, ``rcsgraph.graph`` (a worker builds the bundled graph) and the
cross-cutting top-level modules. Never ``queries``, ``publish`` or ``web``; imports no Flask.
"""

"""The blueprints, one per concern: ``sparql`` (the protocol endpoint and editor),
``queries`` (the catalogue), ``home``, ``linked_data`` (``/id`` and ``/doc``), ``dataset``
(VoID, dumps, context) and ``ontology``.

Thin edges: each route reads the request, calls one library function, renders a page from
``rcsgraph.web.pages`` or writes RDF. May import everything below ``web``.
"""

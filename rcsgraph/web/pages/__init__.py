"""HTML pages: the ``shell`` every page shares, and one module per kind of page (entity,
dataset, catalogue query, the home page's explorer, the server-drawn ``worldmap``).

Pure rendering: values in, HTML out. May import ``rcsgraph.publish`` for the shapes of what
it renders; never a view, the endpoint or a store.
"""

"""The web application: ``create_app(settings)``, one blueprint per concern.

HTTP only: ``service`` builds the endpoint the settings describe, ``protocol`` reads SPARQL
Protocol requests, ``negotiation`` picks a document type, ``cache`` keeps answers of an
immutable store, ``errors`` turns exceptions into statuses; ``views`` holds the blueprints and
``pages`` the HTML; ``cors`` stands before all of it. May import every other part of the package.
"""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from rcsgraph.config import Settings, load_settings
from rcsgraph.publish.locate import publication
from rcsgraph.web import errors
from rcsgraph.web.cache import AnswerCache, answers_version
from rcsgraph.web.cors import Cors
from rcsgraph.web.service import build_endpoint
from rcsgraph.web.views import dataset, home, linked_data, ontology, queries, sparql


def create_app(settings: Settings | Mapping[str, Any] | None = None) -> Flask:
    """A Flask application serving the store the settings name (default: the bundled graph).

    Starts the query workers; call ``app.extensions["rcsgraph"].pool.close()`` (or let the
    process end) to stop them.
    """
    if not isinstance(settings, Settings):
        settings = load_settings(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.body_cap
    served = app.extensions["rcsgraph"] = build_endpoint(settings)
    app.extensions["rcsgraph.publication"] = publication(settings, served, lambda: served.updates)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(queries.blueprint)
    for blueprint in (home, linked_data, dataset, ontology):  # linked-data publication
        app.register_blueprint(blueprint.blueprint)
    errors.register(app)
    spec = app.extensions["rcsgraph"].pool.spec
    version = None if settings.update_token else answers_version(spec)
    if version is not None:  # an immutable store: the same request, the same answer
        app.wsgi_app = AnswerCache(app.wsgi_app, version)  # type: ignore[method-assign]
    # Outermost: every answer is readable cross-origin, the cache's 304s included.
    app.wsgi_app = Cors(app.wsgi_app)  # type: ignore[method-assign]
    return app

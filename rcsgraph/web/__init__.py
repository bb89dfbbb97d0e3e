"""The web application: ``create_app(settings)``, one blueprint per concern.

HTTP only: ``server`` runs it under granian, ``service`` builds the endpoint the settings
describe, ``cache`` answers repeated GETs of an immutable store before anything else,
``direct`` answers plain SPARQL GETs without Flask, ``protocol`` reads SPARQL Protocol
requests, ``negotiation`` picks a document type, ``errors`` turns exceptions into statuses;
``views`` holds the blueprints and ``pages`` the HTML; ``cors`` stands before all of it. May
import every other part of the package. Importing it imports no Flask: a server answers its
first SPARQL request before the pages are imported.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rcsgraph.config import Settings, load_settings

if TYPE_CHECKING:
    from flask import Flask

    from rcsgraph.sparql.endpoint import Endpoint
    from rcsgraph.web.shared_cache import SharedAnswers

#: The most bytes of request line and headers (431 beyond): what waitress read before granian.
HEAD_CAP = 256 * 1024
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def create_app(settings: Settings | Mapping[str, Any] | None = None) -> "Flask":
    """A Flask application serving the store the settings name (default: the bundled graph).

    Starts the query workers; call ``app.extensions["rcsgraph"].pool.close()`` (or let the
    process end) to stop them.
    """
    from rcsgraph.web.service import build_endpoint

    if not isinstance(settings, Settings):
        settings = load_settings(settings)
    endpoint = build_endpoint(settings)
    app = flask_app(settings, endpoint)
    app.wsgi_app = front(app.wsgi_app, settings, endpoint)  # type: ignore[method-assign, assignment]
    return app


def flask_app(settings: Settings, endpoint: "Endpoint") -> "Flask":
    """The Flask application: every route, over ``endpoint``."""
    from flask import Flask

    from rcsgraph.publish.locate import publication
    from rcsgraph.web import errors
    from rcsgraph.web.views import dataset, home, linked_data, ontology, queries, sparql

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.body_cap
    app.extensions["rcsgraph"] = endpoint
    app.extensions["rcsgraph.publication"] = publication(
        settings, endpoint, lambda: endpoint.updates
    )
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(queries.blueprint)
    for blueprint in (home, linked_data, dataset, ontology):  # linked-data publication
        app.register_blueprint(blueprint.blueprint)
    errors.register(app)
    return app


def front(app: WsgiApp, settings: Settings, endpoint: "Endpoint", shared: bool = False) -> WsgiApp:
    """What stands before ``app``: plain SPARQL GETs answered directly; for an immutable
    store, the answer cache before them (its answers ``shared`` with the other processes of
    this server, if asked); the limits on heads and chunked bodies before that, and CORS
    first."""
    from rcsgraph.web.cache import AnswerCache, answers_version
    from rcsgraph.web.cors import Cors
    from rcsgraph.web.direct import DirectSparql
    from rcsgraph.web.limits import RequestLimits

    wsgi: WsgiApp = DirectSparql(app, lambda: endpoint)
    version = None if settings.update_token else answers_version(endpoint.pool.spec, settings)
    if version is not None:  # an immutable store: the same request, the same answer
        wsgi = AnswerCache(
            wsgi, version, capacity=settings.cache_bytes, shared=_shared(version, shared)
        )
    # Outermost: every answer is readable cross-origin, the cache's 304s and the limits' included.
    return Cors(RequestLimits(wsgi, settings.body_cap, HEAD_CAP))


def _shared(version: str, wanted: bool) -> "SharedAnswers | None":
    """The folder of answers this server's processes share, removed from as this one exits."""
    from multiprocessing.util import Finalize

    from rcsgraph.web.shared_cache import SharedAnswers, server_folder

    folder = server_folder(version) if wanted else None
    if folder is None:
        return None
    shared = SharedAnswers(folder)
    # Not atexit: granian's processes are multiprocessing's, which end without running it.
    Finalize(shared, shared.close, exitpriority=1)
    return shared

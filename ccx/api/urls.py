from ninja import Swagger

from ccx.api import (
    challenges,
    cities,
    errors,
    events,
    network,
    partnerships,
    practices,
    publications,
    sdg,
    search,
    transfers,
)
from ccx.api import monitoring as monitoring_api
from ccx.api.documentation import DocumentedNinjaAPI
from ccx.api.parsing import ObjectBodyParser

api = DocumentedNinjaAPI(
    title="Creative Cities Exchange API",
    version="1",
    description=(
        "Open data and cooperation records of the city network. Read endpoints are public (a token or a "
        "session also shows what its owner may see); write endpoints need a personal API token sent as "
        "`Authorization: Bearer …`, or a signed-in session with its CSRF token. Every error answer (401, 403, "
        "404, 409, 422) has one shape, ErrorOut: {detail, problems, errors}; every list is {count, items}."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    # Deep links put a link inside each operation's toggle button (a control inside a control, which screen
    # readers cannot announce); the operation ids are in the document anyway
    docs=Swagger(settings={"deepLinking": False}),
    openapi_url="/openapi.json",
    parser=ObjectBodyParser(),
)
api.add_router("", cities.router)
api.add_router("", sdg.router)
api.add_router("", practices.router)
api.add_router("", search.router)
api.add_router("", challenges.router)
api.add_router("", partnerships.router)
api.add_router("", transfers.router)
api.add_router("", network.router)
api.add_router("", events.router)
api.add_router("", publications.router)
api.add_router("", monitoring_api.router)


errors.install(api)

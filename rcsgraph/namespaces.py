"""The rcs: namespace, closed, and the prefix map used across the project.

``RCS`` lists every term of ``ontology/rcs.ttl``: a misspelt term is an ``AttributeError``
rather than a silent new IRI. ``tests/test_namespaces.py`` keeps the two in step.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = URIRef("https://w3id.org/rcsgraph/ontology")
ID_BASE = "https://w3id.org/rcsgraph/id/"


class RCS(DefinedNamespace):
    """Terms of the rcsgraph ontology."""

    _NS = Namespace("https://w3id.org/rcsgraph/ontology#")
    _fail = True

    # classes
    AmbiguousMention: URIRef
    Article: URIRef
    Assistance: URIRef
    Award: URIRef
    AwardConferral: URIRef
    Claim: URIRef
    Cooperation: URIRef
    Country: URIRef
    Disaster: URIRef
    Event: URIRef
    EvidencedProperty: URIRef
    Facility: URIRef
    Meeting: URIRef
    Membership: URIRef
    Mission: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    Project: URIRef
    Region: URIRef
    Role: URIRef
    Service: URIRef
    Society: URIRef
    Standing: URIRef
    Statement: URIRef
    Technology: URIRef

    # properties
    about: URIRef
    attributedTo: URIRef
    award: URIRef
    beneficiary: URIRef
    conductedBy: URIRef
    conferredBy: URIRef
    country: URIRef
    dateline: URIRef
    during: URIRef
    evidence: URIRef
    facility: URIRef
    facilityCountApproximate: URIRef
    helped: URIRef
    holder: URIRef
    inResponseTo: URIRef
    locatedIn: URIRef
    location: URIRef
    m49Region: URIRef
    m49Subregion: URIRef
    madeAt: URIRef
    member: URIRef
    memberOf: URIRef
    neighbourOf: URIRef
    operatedBy: URIRef
    organOf: URIRef
    organization: URIRef
    participant: URIRef
    partner: URIRef
    recipient: URIRef
    role: URIRef
    serviceArea: URIRef
    speaker: URIRef
    supportedBy: URIRef
    technology: URIRef
    uses: URIRef
    within: URIRef
    beneficiaries: URIRef
    competingProjects: URIRef
    competingSocieties: URIRef
    content: URIRef
    date: URIRef
    derivation: URIRef
    description: URIRef
    deskInitials: URIRef
    facilityType: URIRef
    founded: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    iso3166Numeric: URIRef
    m49Code: URIRef
    manner: URIRef
    mentionText: URIRef
    published: URIRef
    rankTier: URIRef
    reason: URIRef
    sourceText: URIRef
    sourceTextSha256: URIRef
    statedCountryCount: URIRef
    statedFacilityCount: URIRef
    status: URIRef
    year: URIRef


ID = Namespace(ID_BASE)
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")
RCSH = Namespace("https://w3id.org/rcsgraph/shapes#")

#: Prefixes bound in every export and report, in the order they are written.
PREFIXES: dict[str, str] = {
    "rcs": str(RCS._NS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": str(OA),
    "org": str(ORG),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": str(SCHEMA),
    "sh": str(SH),
    "rcsh": str(RCSH),
    "wd": str(WD),
    "id": ID_BASE,
}

"""The modelling rules of the design, checked on the bundled data."""

import csv
from collections.abc import Iterator

import pytest
from conftest import shared_or_skip
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

from rcsgraph.namespaces import ID, RCS

IRCS = ID["society/iranian-red-crescent-society"]

#: The 13 facility countries as the article lists them, by our slug.
FACILITY_COUNTRIES = {
    "aze", "afg", "are", "bol", "civ", "sle", "gha", "congo", "ken", "lbn", "mli", "ner", "ecu",
}  # fmt: skip


def test_founding_year_is_as_precise_as_the_text(graph: Graph) -> None:
    assert graph.value(IRCS, RCS.founded) == Literal("1922", datatype=XSD.gYear)


def test_saturday_is_derived_from_the_article_date_and_says_so(graph: Graph) -> None:
    meeting = ID["meeting/2022-09-17-najaf"]
    assert graph.value(meeting, RCS.date) == Literal("2022-09-17", datatype=XSD.date)
    claims = [c for c in graph.subjects(RDF.object, Literal("2022-09-17", datatype=XSD.date))]
    assert len(claims) == 1 and "Saturday" in str(graph.value(claims[0], RCS.derivation))


def test_facilities_one_per_listed_country_operated_by_ircs_abroad(graph: Graph) -> None:
    facilities = list(graph.subjects(RDF.type, RCS.Facility))
    countries = {str(graph.value(f, RCS.locatedIn)).rsplit("/", 1)[1] for f in facilities}
    assert countries == FACILITY_COUNTRIES and len(facilities) == 13
    home = graph.value(IRCS, RCS.country)
    for facility in facilities:
        assert graph.value(facility, RCS.operatedBy) == IRCS
        assert graph.value(facility, RCS.locatedIn) != home


def test_stated_facility_count_is_kept_as_stated(graph: Graph) -> None:
    service = ID["service/ircs-medical-services-abroad"]
    assert graph.value(service, RCS.statedFacilityCount) == Literal(14)
    assert graph.value(service, RCS.facilityCountApproximate) == Literal(True)
    assert graph.value(service, RCS.statedCountryCount) == Literal(13)


def test_congo_is_an_unresolved_mention_with_two_close_matches(graph: Graph) -> None:
    congo = ID["country/congo"]
    assert (congo, RDF.type, RCS.AmbiguousMention) in graph
    assert str(graph.value(congo, RCS.mentionText)) == "Congo"
    assert set(graph.objects(congo, SKOS.closeMatch)) == {ID["country/cog"], ID["country/cod"]}
    assert graph.value(congo, OWL.sameAs) is None


def test_gaza_and_palestine_are_separate_places(graph: Graph) -> None:
    gaza, palestine = ID["place/gaza"], ID["country/pse"]
    assert (gaza, RDF.type, RCS.Country) not in graph
    assert (palestine, RDF.type, RCS.Country) in graph
    assert not set(graph.objects(gaza, OWL.sameAs)) & set(graph.objects(palestine, OWL.sameAs))


def test_southeast_asia_earthquakes_is_an_event_not_a_country(graph: Graph) -> None:
    event = ID["event/southeast-asia-earthquakes"]
    assert (event, RDF.type, RCS.Disaster) in graph
    assert (event, RDF.type, RCS.Country) not in graph
    assert graph.value(event, OWL.sameAs) is None  # the Wikidata match is an interpretation


def test_eight_missions_each_helping_one_place_or_event(graph: Graph) -> None:
    missions = list(graph.subjects(RDF.type, RCS.Mission))
    assert len(missions) == 8
    for mission in missions:
        targets = [*graph.objects(mission, RCS.helped), *graph.objects(mission, RCS.inResponseTo)]
        assert len(targets) == 1


def test_codes_are_strings_and_zero_padded(graph: Graph) -> None:
    codes = list(graph.objects(None, RCS.iso3166Numeric)) + list(graph.objects(None, RCS.m49Code))
    assert codes
    for code in codes:
        assert isinstance(code, Literal) and code.datatype in (None, XSD.string)
        assert len(str(code)) == 3 and str(code).isdigit()
    assert graph.value(ID["country/afg"], RCS.iso3166Numeric) == Literal("004")


def reference_ids() -> Iterator[str]:
    """Every identifier the reference tables verified, as the IRI we would link to."""
    with shared_or_skip("reference", "article-entities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["wikidata_qid"].startswith("Q"):
                yield f"http://www.wikidata.org/entity/{row['wikidata_qid']}"
            if row["geonames_id"].isdigit():
                yield f"https://sws.geonames.org/{row['geonames_id']}/"


def test_every_external_link_is_a_verified_reference_identifier(graph: Graph) -> None:
    verified = set(reference_ids())
    links = {
        str(o)
        for p in (OWL.sameAs, SKOS.closeMatch)
        for o in graph.objects(None, p)
        if not str(o).startswith(str(ID))
    }
    assert links and links <= verified


@pytest.mark.parametrize(
    "unlinked",
    [
        "society/iranian-red-crescent-society",
        "society/iraqi-red-crescent-society",
        "person/yassen-al-mamouri",
        "person/pirhossein-kolivand",
        "event/arbaeen-pilgrimage",
        "award/henry-davison-award",
    ],
)
def test_entities_without_a_verified_identifier_stay_unlinked(graph: Graph, unlinked: str) -> None:
    assert graph.value(ID[unlinked], OWL.sameAs) is None


def test_najaf_links_to_geonames_only(graph: Graph) -> None:
    links = set(graph.objects(ID["place/najaf"], OWL.sameAs))
    assert links == {URIRef("https://sws.geonames.org/98860/")}


def test_iso_codes_agree_with_the_reference_table(graph: Graph) -> None:
    path = shared_or_skip("reference", "country-codes.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        table = {row["ISO3166-1-Alpha-3"]: row for row in csv.DictReader(handle)}
    for country in graph.subjects(RCS.iso3166Alpha3, None):
        row = table[str(graph.value(country, RCS.iso3166Alpha3))]
        assert str(graph.value(country, RCS.iso3166Alpha2)) == row["ISO3166-1-Alpha-2"]
        assert str(graph.value(country, RCS.iso3166Numeric)) == row["ISO3166-1-numeric"].zfill(3)
        qid = row["wikidata_id"].rsplit("/", 1)[1]
        assert URIRef(f"http://www.wikidata.org/entity/{qid}") in set(
            graph.objects(country, OWL.sameAs)
        )

"""One synthetic news article: its text, the facts it states, and a claim with evidence per fact.

The text is written piece by piece; every piece that states a fact records where it stands, so
each claim's quote, prefix, suffix and offsets (Unicode code points, end exclusive) match the
text exactly, as ``rcsgraph.graph.evidence`` checks.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.rdf import FOAF, ID, OA, PROV, RCS, RDF, TYPE, Lit, Triple, en, typed
from bench.world import (
    IFRC,
    IFRC_NAME,
    MOVEMENT,
    MOVEMENT_NAME,
    PRESIDENT,
    Entity,
    Society,
    World,
    labelled,
    slug,
)

CONTEXT = 32  # characters of prefix and suffix kept around a quote
FACILITY_TYPES = ("medical facility", "clinic", "rehabilitation centre", "blood bank")
DESCRIPTIONS = ("continuous and permanent", "close and fruitful", "long-standing", "strategic")
REASONS = ("outstanding humanitarian services", "training volunteers", "first aid education")
DISASTERS = ("floods", "earthquake", "drought", "cyclone", "landslides", "wildfires")


@dataclass
class Article:
    """The triples and the source text of one article."""

    iri: str
    text_name: str
    text: str = ""
    triples: list[Triple] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _spans: list[tuple[Triple, int, int]] = field(default_factory=list)

    def say(self, text: str) -> None:
        """Add words that state no fact."""
        self._parts.append(text)
        self._length += len(text)

    def quote(self, text: str, *facts: Triple) -> None:
        """Add words that state ``facts``; each fact gets a claim quoting these words."""
        for fact in facts:
            self.triples.append(fact)
            self._spans.append((fact, self._length, self._length + len(text)))
        self.say(text)

    def finish(self, world: World) -> None:
        """Fix the text, record its checksum and add a claim for every fact stated."""
        self.text = "".join(self._parts)
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        self.triples += [
            (self.iri, RCS + "sourceText", Lit(self.text_name)),
            (self.iri, RCS + "sourceTextSha256", Lit(digest)),
        ]
        for fact, start, end in self._spans:
            self.triples += self._claim(world, fact, start, end)

    def _claim(self, world: World, fact: Triple, start: int, end: int) -> list[Triple]:
        claim = claim_iri(world, fact)
        evidence, quote, position = claim + "#evidence", claim + "#quote", claim + "#position"
        s, p, o = fact
        return [
            (claim, TYPE, RCS + "Claim"),
            (claim, RDF + "subject", s),
            (claim, RDF + "predicate", p),
            (claim, RDF + "object", o),
            (claim, PROV + "wasDerivedFrom", self.iri),
            (claim, RCS + "evidence", evidence),
            (evidence, TYPE, OA + "SpecificResource"),
            (evidence, OA + "hasSource", self.iri),
            (evidence, OA + "hasSelector", quote),
            (evidence, OA + "hasSelector", position),
            (quote, TYPE, OA + "TextQuoteSelector"),
            (quote, OA + "exact", Lit(self.text[start:end])),
            (quote, OA + "prefix", Lit(self.text[max(0, start - CONTEXT) : start])),
            (quote, OA + "suffix", Lit(self.text[end : end + CONTEXT])),
            (position, TYPE, OA + "TextPositionSelector"),
            (position, OA + "start", typed(start, "integer")),
            (position, OA + "end", typed(end, "integer")),
        ]


def claim_iri(world: World, fact: Triple) -> str:
    """``claim/{subject}.{property}.{value}``, as in ``data/article.ttl``; unique in the world."""
    s, p, o = fact
    value = slug(o.value)[:40] if isinstance(o, Lit) else _id_slug(o)
    base = ID + f"claim/{_id_slug(s)}.{p.rsplit('#', 1)[-1]}.{value}"
    iri, n = base, 1
    while iri in world.claim_iris:
        n += 1
        iri = f"{base}-{n}"
    world.claim_iris.add(iri)
    return iri


def _id_slug(iri: str) -> str:
    return iri[len(ID) :].replace("/", "-") if iri.startswith(ID) else slug(iri)


def compose(world: World, number: int) -> Article:
    """Article ``number``: a meeting of two societies' presidents and what the home society did."""
    rng = world.rng
    count = len(world.societies)
    home = world.societies[number % count]
    partner = world.societies[(number + 1 + rng.randrange(count - 1)) % count]
    name = f"x-article-{number:05d}"
    article = Article(ID + f"article/{name}", f"{name}.txt")
    published = date(2005, 1, 1) + timedelta(days=rng.randrange(6500))
    city = home.country.capital
    article.triples += labelled(
        article.iri, "Article", f"Synthetic article {number:05d} of {published}"
    )
    article.say("date ")
    article.quote(published.isoformat(), (article.iri, RCS + "published", typed(published, "date")))
    article.say(" ")
    article.quote(city.name.upper(), (article.iri, RCS + "dateline", city.iri))
    article.say(" \u2013 ")  # an en dash: offsets count code points
    _meeting(article, number, home, partner, published - timedelta(days=1))
    for society in (home, partner):
        _introduce(article, society)
    _introduce_city(article, home)
    _cooperation(article, number, home, partner, rng.choice(DESCRIPTIONS))
    _facility(article, world, number, home)
    _mission(article, world, number, home)
    _award(article, world, number, home)
    article.say("\n\n")
    initials = "".join(chr(65 + rng.randrange(26)) for _ in range(4))
    article.quote(
        f"{initials[:2]}/{initials[2:]}",
        (article.iri, RCS + "deskInitials", Lit(f"{initials[:2]}/{initials[2:]}")),
    )
    article.finish(world)
    return article


def _meeting(article: Article, number: int, home: Society, partner: Society, day: date) -> None:
    meeting = ID + f"meeting/x-{number:05d}"
    city = home.country.capital
    one, other = home.president, partner.president
    article.triples += labelled(
        meeting, "Meeting", f"Meeting of {one.name} and {other.name} on {day}"
    )
    article.quote(one.name, (meeting, RCS + "participant", one.iri))
    article.say(f", president of the {home.name}, met ")
    article.quote(other.name, (meeting, RCS + "participant", other.iri))
    article.say(f", president of the {partner.name}, in ")
    article.quote(city.name, (meeting, RCS + "location", city.iri))
    article.say(" on ")
    article.quote(day.isoformat(), (meeting, RCS + "date", typed(day, "date")))
    article.say(".\n\n")


def _introduce(article: Article, society: Society) -> None:
    """State once who a society is: its founding, country, movement and president."""
    if society.introduced:
        return
    society.introduced = True
    person = society.president
    membership = ID + f"membership/{person.iri.rsplit('/', 1)[-1]}-president"
    article.triples += labelled(society.iri, "Society", society.name)
    article.triples += labelled(person.iri, "Person", person.name)
    article.triples.append((person.iri, FOAF + "name", Lit(person.name)))
    article.triples += labelled(
        membership, "Membership", f"{person.name}, president of the {society.name}"
    )
    article.say(f"The {society.name} was established in ")
    article.quote(
        str(society.founded), (society.iri, RCS + "founded", typed(society.founded, "gYear"))
    )
    article.say(" in ")
    article.quote(society.country.name, (society.iri, RCS + "country", society.country.iri))
    article.say(" and is a member of the ")
    article.quote(MOVEMENT_NAME, (society.iri, RCS + "memberOf", MOVEMENT))
    article.say(". ")
    article.quote(person.name, (membership, RCS + "member", person.iri))
    article.say(" is the ")
    article.quote("president", (membership, RCS + "role", PRESIDENT))
    article.say(" of the ")
    article.quote(society.name, (membership, RCS + "organization", society.iri))
    article.say(". ")


def _introduce_city(article: Article, home: Society) -> None:
    city = home.country.capital
    if city.introduced:
        return
    city.introduced = True
    article.triples += labelled(city.iri, "Place", city.name)
    article.say(f"{city.name} is the capital of ")
    article.quote(home.country.name, (city.iri, RCS + "locatedIn", home.country.iri))
    article.say(".\n\n")


def _cooperation(article: Article, number: int, home: Society, partner: Society, how: str) -> None:
    cooperation = ID + f"cooperation/x-{number:05d}"
    article.triples += labelled(
        cooperation, "Cooperation", f"Cooperation of the {home.name} and the {partner.name}"
    )
    article.say("The two presidents described the cooperation between the ")
    article.quote(home.name, (cooperation, RCS + "partner", home.iri))
    article.say(" and the ")
    article.quote(partner.name, (cooperation, RCS + "partner", partner.iri))
    article.say(" as ")
    article.quote(how, (cooperation, RCS + "description", en(how)))
    article.say(". ")


def _facility(article: Article, world: World, number: int, home: Society) -> None:
    abroad = [c for c in world.countries if c is not home.country]
    country = world.rng.choice(abroad)
    kind = world.rng.choice(FACILITY_TYPES)
    facility = ID + f"facility/x-{number:05d}"
    article.triples += labelled(
        facility, "Facility", f"{kind} of the {home.name} in {country.name}"
    )
    article.say("The ")
    article.quote(home.name, (facility, RCS + "operatedBy", home.iri))
    article.say(" runs a ")
    article.quote(kind, (facility, RCS + "facilityType", Lit(kind)))
    article.say(" in ")
    article.quote(country.name, (facility, RCS + "locatedIn", country.iri))
    article.say(".\n\n")


def _mission(article: Article, world: World, number: int, home: Society) -> None:
    country = world.rng.choice(world.countries)
    disaster = ID + f"event/x-{number:05d}"
    mission = ID + f"mission/x-{number:05d}"
    what = f"{world.rng.randint(1990, 2020)} {world.rng.choice(DISASTERS)} in {country.name}"
    article.triples += labelled(disaster, "Disaster", what)
    article.triples += labelled(mission, "Mission", f"Mission of the {home.name} after the {what}")
    article.say("After the ")
    article.quote(what, (mission, RCS + "inResponseTo", disaster))
    article.say(", the ")
    article.quote(home.name, (mission, RCS + "conductedBy", home.iri))
    article.say(" sent a relief mission to help the people of ")
    article.quote(country.name, (mission, RCS + "helped", country.iri))
    article.say(". ")


def _award(article: Article, world: World, number: int, home: Society) -> None:
    award: Entity = world.rng.choice(world.awards)
    year = world.rng.randint(1995, 2021)
    reason = world.rng.choice(REASONS)
    conferral = ID + f"conferral/x-{number:05d}"
    if not award.introduced:
        award.introduced = True
        article.triples += labelled(award.iri, "Award", award.name)
    article.triples += labelled(
        conferral, "AwardConferral", f"{award.name} {year} to the {home.name}"
    )
    article.say("In ")
    article.quote(str(year), (conferral, RCS + "year", typed(year, "gYear")))
    article.say(", the ")
    article.quote(home.name, (conferral, RCS + "recipient", home.iri))
    article.say(" received the ")
    article.quote(award.name, (conferral, RCS + "award", award.iri))
    article.say(" from the ")
    article.quote(IFRC_NAME, (conferral, RCS + "conferredBy", IFRC))
    article.say(" for ")
    article.quote(reason, (conferral, RCS + "reason", en(reason)))
    article.say(".")

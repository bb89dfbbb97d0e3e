"""The synthetic movement: countries, cities, national societies, presidents and awards.

Everything is drawn from one seeded ``random.Random``, so a seed always gives the same world.
Country codes come from the ISO 3166-1 *user-assigned* ranges, which no real country uses:
alpha-3 ``XAA``-``XZZ`` (hence at most 676 countries), alpha-2 ``XA``-``XZ`` and numeric
``900``-``999`` (the last two repeat; the shapes do not ask for unique codes). Identifiers of
synthetic entities start with ``x-`` (countries: ``country/xab``, as the country-slug rule wants).
"""

import random
import re
import unicodedata
from dataclasses import dataclass, field

from bench.rdf import ID, RCS, RDFS, SKOS, TYPE, Lit, Triple, en

SYLLABLES = (
    *("ba", "da", "fa", "ga", "ka", "la", "ma", "na", "ra", "sa", "ta", "va", "za"),
    *("be", "de", "le", "me", "ne", "re", "se", "te", "ve", "bi", "di", "li", "mi"),
    *("ni", "ri", "si", "ti", "vi", "bo", "do", "lo", "mo", "no", "ro", "so", "to"),
    *("vo", "bu", "du", "lu", "mu", "nu", "ru", "su", "tu", "zé", "lô", "rä", "nü"),
)
COUNTRY_ENDINGS = ("ia", "ania", "ora", "and", "esh", "ara", "ustan", "ica")
REGIONS = 5
AWARDS = 6
MAX_COUNTRIES = 26 * 26

MOVEMENT = ID + "organization/international-red-cross-and-red-crescent-movement"
MOVEMENT_NAME = "International Red Cross and Red Crescent Movement"
IFRC = ID + "organization/ifrc"
IFRC_NAME = "International Federation of Red Cross and Red Crescent Societies"
PRESIDENT = ID + "role/president"


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def labelled(iri: str, kind: str, label: str) -> list[Triple]:
    """The type, label and preferred label every entity carries."""
    return [
        (iri, TYPE, RCS + kind),
        (iri, RDFS + "label", en(label)),
        (iri, SKOS + "prefLabel", en(label)),
    ]


@dataclass
class Entity:
    """Something named in articles; its own triples are stated once, where it is introduced."""

    iri: str
    name: str
    introduced: bool = False


@dataclass
class Country(Entity):
    alpha3: str = ""
    capital: Entity = field(default_factory=lambda: Entity("", ""))


@dataclass
class Society(Entity):
    country: Country = field(default_factory=lambda: Country("", ""))
    founded: int = 0
    president: Entity = field(default_factory=lambda: Entity("", ""))


class World:
    """Countries (with capitals), one society and one president per country, a few awards."""

    def __init__(self, rng: random.Random, countries: int) -> None:
        if not 2 <= countries <= MAX_COUNTRIES:
            raise ValueError(f"between 2 and {MAX_COUNTRIES} countries, not {countries}")
        self.rng = rng
        self.taken: set[str] = set()
        self.countries = [self._country(i) for i in range(countries)]
        self.societies = [self._society(c) for c in self.countries]
        self.awards = [self._award() for _ in range(AWARDS)]
        self.claim_iris: set[str] = set()

    def name(self, endings: tuple[str, ...] = ("",)) -> str:
        """A new made-up name of two or three syllables, whose slug no other name has."""
        while True:
            syllables = self.rng.choices(SYLLABLES, k=self.rng.randint(2, 3))
            text = "".join(syllables) + self.rng.choice(endings)
            if slug(text) not in self.taken:  # "Lôba" and "Loba" would share an identifier
                self.taken.add(slug(text))
                return text[0].upper() + text[1:]

    def _country(self, index: int) -> Country:
        alpha3 = "X" + chr(65 + index // 26) + chr(65 + index % 26)
        name = self.name(COUNTRY_ENDINGS)
        capital = Entity(ID + f"place/x-{slug(name)}-capital", self.name())
        return Country(ID + f"country/{alpha3.lower()}", name, alpha3=alpha3, capital=capital)

    def _society(self, country: Country) -> Society:
        pattern = self.rng.choice(
            ("{} Red Crescent Society", "Red Cross Society of {}", "{} Red Cross")
        )
        name = pattern.format(country.name)
        person = f"{self.name()} {self.name()}"
        return Society(
            ID + f"society/x-{slug(name)}",
            name,
            country=country,
            founded=self.rng.randint(1863, 1990),
            president=Entity(ID + f"person/x-{slug(person)}", person),
        )

    def _award(self) -> Entity:
        kind = self.rng.choice(("Medal", "Award", "Prize"))
        name = f"{self.name()} {kind} for Humanitarian Service"
        return Entity(ID + f"award/x-{slug(name)}", name)

    def triples(self) -> list[Triple]:
        """What is stated once for the whole world: regions, countries, the movement, a role."""
        out: list[Triple] = []
        for number in range(1, REGIONS + 1):
            region = ID + f"region/x-region-{number}"
            out += labelled(region, "Region", f"Synthetic region {number}")
            out.append((region, RCS + "m49Code", Lit(f"9{number:02d}")))
        for index, country in enumerate(self.countries):
            out += labelled(country.iri, "Country", country.name)
            out += [
                (country.iri, RCS + "iso3166Alpha2", Lit("X" + country.alpha3[2])),
                (country.iri, RCS + "iso3166Alpha3", Lit(country.alpha3)),
                (country.iri, RCS + "iso3166Numeric", Lit(f"{900 + index % 100}")),
                (country.iri, RCS + "m49Region", ID + f"region/x-region-{index % REGIONS + 1}"),
            ]
        out += labelled(MOVEMENT, "Organization", MOVEMENT_NAME)
        out += labelled(IFRC, "Organization", IFRC_NAME)
        out += labelled(PRESIDENT, "Role", "president")
        return out

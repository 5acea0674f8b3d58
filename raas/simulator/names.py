"""Belgian Dutch and French names and addresses, each name with the spellings it is met under.

A small curated list, not statistics: enough families of spelling variants for the phonetic search
to be tried on (Peeters, Peters and Pieters are one family; a clerk may type any of them). The first
spelling of a family is the common one. Municipalities carry their own postcode and language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Language(StrEnum):
    NL = "nl"
    FR = "fr"


@dataclass(frozen=True, slots=True)
class NameFamily:
    """Spellings of one name; `spellings[0]` is the most common."""

    language: Language
    spellings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Municipality:
    postcode: str
    name: str
    language: Language
    streets: tuple[str, ...]


NL, FR = Language.NL, Language.FR

LAST_NAMES: tuple[NameFamily, ...] = (
    NameFamily(NL, ("Peeters", "Peters", "Pieters", "Peetermans")),
    NameFamily(NL, ("Janssens", "Jansen", "Janssen", "Jansens")),
    NameFamily(NL, ("Maes", "Maas", "Maes-Maas")),
    NameFamily(NL, ("Jacobs", "Jacops", "Jakobs")),
    NameFamily(NL, ("Mertens", "Martens", "Meertens")),
    NameFamily(NL, ("Willems", "Wellems", "Willem")),
    NameFamily(NL, ("Claes", "Claas", "Klaas", "Claessens")),
    NameFamily(NL, ("Goossens", "Goosens", "Gossens")),
    NameFamily(NL, ("Wouters", "Wauters", "Wolters")),
    NameFamily(NL, ("De Smet", "Desmet", "De Smedt", "Desmedt")),
    NameFamily(NL, ("Vandenberghe", "Van den Berghe", "Vanden Berghe", "Vandenberg")),
    NameFamily(NL, ("Van de Velde", "Vandevelde", "Van de Velden")),
    NameFamily(NL, ("De Vos", "Devos", "De Vosch")),
    NameFamily(NL, ("Verhaegen", "Verhaeghe", "Verhagen")),
    NameFamily(NL, ("Hermans", "Heremans", "Herremans")),
    NameFamily(NL, ("Van Damme", "Vandamme", "Van Dam")),
    NameFamily(NL, ("De Backer", "Debacker", "De Bakker", "Debakker")),
    NameFamily(NL, ("Lambrechts", "Lambrecht", "Lambregts")),
    NameFamily(FR, ("Dubois", "Du Bois", "Dubois-Lambert", "Dubos")),
    NameFamily(FR, ("Lambert", "Lamberts", "Lambers")),
    NameFamily(FR, ("Dupont", "Dupond", "Du Pont")),
    NameFamily(FR, ("Martin", "Martins", "Martijn")),
    NameFamily(FR, ("Leclercq", "Leclerc", "Le Clercq", "Leclercque")),
    NameFamily(FR, ("Lefebvre", "Lefèbvre", "Lefèvre", "Lefever")),
    NameFamily(FR, ("Renard", "Regnard", "Renart")),
    NameFamily(FR, ("Denis", "Dennis", "Denys")),
    NameFamily(FR, ("Simon", "Simons", "Symons")),
    NameFamily(FR, ("Laurent", "Lorent", "Laurant")),
    NameFamily(FR, ("Mathieu", "Matthieu", "Mathieux")),
    NameFamily(FR, ("D'Hondt", "Dhondt", "De Hondt")),
    NameFamily(FR, ("Gilson", "Gillson", "Gilsoul")),
    NameFamily(FR, ("Collard", "Colard", "Collart")),
)

MALE_FIRST_NAMES: tuple[NameFamily, ...] = (
    NameFamily(NL, ("Jan", "Johan", "Johannes", "Jean")),
    NameFamily(NL, ("Pieter", "Peter", "Piet", "Pierre")),
    NameFamily(NL, ("Lucas", "Lukas", "Luc")),
    NameFamily(NL, ("Wim", "Willem", "Guillaume")),
    NameFamily(NL, ("Koen", "Coen", "Koenraad")),
    NameFamily(NL, ("Dirk", "Dierick", "Thierry")),
    NameFamily(NL, ("Bart", "Bert", "Bartholomeus")),
    NameFamily(NL, ("Noah", "Noa", "Noé")),
    NameFamily(FR, ("Jean", "Jan", "Jehan")),
    NameFamily(FR, ("Michel", "Michiel", "Michaël")),
    NameFamily(FR, ("François", "Francois", "Frans")),
    NameFamily(FR, ("Philippe", "Philip", "Filip")),
    NameFamily(FR, ("Louis", "Lodewijk", "Loïc")),
    NameFamily(FR, ("Mohamed", "Mohammed", "Muhammad")),
)

FEMALE_FIRST_NAMES: tuple[NameFamily, ...] = (
    NameFamily(NL, ("Marie", "Maria", "Mieke", "Mia")),
    NameFamily(NL, ("Anna", "Anne", "Anneke", "Ann")),
    NameFamily(NL, ("Els", "Elsa", "Elisabeth", "Elise")),
    NameFamily(NL, ("Katrien", "Katrijn", "Catherine", "Cathy")),
    NameFamily(NL, ("An", "Ann", "Anne")),
    NameFamily(NL, ("Emma", "Ema", "Emmy")),
    NameFamily(NL, ("Sofie", "Sophie", "Sofia")),
    NameFamily(FR, ("Marie", "Maria", "Marie-Claire")),
    NameFamily(FR, ("Nathalie", "Natalie", "Nathaly")),
    NameFamily(FR, ("Isabelle", "Isabel", "Isabella")),
    NameFamily(FR, ("Françoise", "Francoise", "Fanny")),
    NameFamily(FR, ("Chloé", "Chloe", "Kloë")),
    NameFamily(FR, ("Fatima", "Fatma", "Fatiha")),
)

MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("1000", "Brussel", NL, ("Wetstraat", "Nieuwstraat", "Kunstberg")),
    Municipality("1000", "Bruxelles", FR, ("Rue de la Loi", "Rue Neuve", "Rue Haute")),
    Municipality("1050", "Ixelles", FR, ("Chaussée d'Ixelles", "Rue du Trône", "Avenue Louise")),
    Municipality("1080", "Molenbeek-Saint-Jean", FR, ("Chaussée de Gand", "Rue de Ribaucourt")),
    Municipality("2000", "Antwerpen", NL, ("Meir", "Kammenstraat", "Lange Nieuwstraat")),
    Municipality("2800", "Mechelen", NL, ("Bruul", "IJzerenleen", "Hoogstraat")),
    Municipality("3000", "Leuven", NL, ("Bondgenotenlaan", "Naamsestraat", "Tiensestraat")),
    Municipality("3500", "Hasselt", NL, ("Grote Markt", "Demerstraat", "Koning Albertstraat")),
    Municipality("8000", "Brugge", NL, ("Steenstraat", "Langestraat", "Ezelstraat")),
    Municipality("9000", "Gent", NL, ("Veldstraat", "Korenmarkt", "Sint-Pietersnieuwstraat")),
    Municipality("8500", "Kortrijk", NL, ("Doorniksestraat", "Lange Steenstraat")),
    Municipality("4000", "Liège", FR, ("Rue Saint-Gilles", "Boulevard d'Avroy", "Rue Féronstrée")),
    Municipality("5000", "Namur", FR, ("Rue de Fer", "Rue de l'Ange", "Avenue Cardinal Mercier")),
    Municipality("6000", "Charleroi", FR, ("Boulevard Tirou", "Rue de la Montagne")),
    Municipality("7000", "Mons", FR, ("Rue de Nimy", "Grand-Rue", "Rue d'Havré")),
    Municipality("1300", "Wavre", FR, ("Rue du Commerce", "Place Bosch")),
)

BIRTH_PLACES_ABROAD: tuple[str, ...] = (
    "Lille",
    "Maastricht",
    "Aachen",
    "Luxembourg",
    "Casablanca",
    "Kraków",
    "București",
    "Roma",
)

NATIONALITIES_ABROAD: tuple[str, ...] = ("FR", "NL", "DE", "LU", "MA", "PL", "RO", "IT")

CIVIL_STATES: tuple[str, ...] = ("single", "married", "legally cohabiting", "divorced", "widowed")

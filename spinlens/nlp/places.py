"""A small world gazetteer: countries, their capitals and demonyms.

spaCy's small English model often tags capitals as ORG or PERSON and demonyms
as PERSON ("Kyiv", "Azerbaijani"); a fixed list of the world's countries is a
cheap, general correction. It also links a demonym or capital to its country,
so "the Russian leader" can be tied to people the article places in Russia.
"""

from __future__ import annotations

from functools import lru_cache

# country ; capitals (comma-separated, alternative spellings allowed) ; demonyms
_TABLE = """
Afghanistan;Kabul;Afghan,Afghans
Albania;Tirana;Albanian
Algeria;Algiers;Algerian
Angola;Luanda;Angolan
Argentina;Buenos Aires;Argentine,Argentinian
Armenia;Yerevan;Armenian
Australia;Canberra;Australian
Austria;Vienna;Austrian
Azerbaijan;Baku;Azerbaijani,Azeri
Bahrain;Manama;Bahraini
Bangladesh;Dhaka;Bangladeshi
Belarus;Minsk;Belarusian,Belarussian
Belgium;Brussels;Belgian
Bolivia;La Paz,Sucre;Bolivian
Bosnia and Herzegovina;Sarajevo;Bosnian
Brazil;Brasilia,Brasília;Brazilian
Bulgaria;Sofia;Bulgarian
Cambodia;Phnom Penh;Cambodian
Cameroon;Yaounde,Yaoundé;Cameroonian
Canada;Ottawa;Canadian
Chad;N'Djamena;Chadian
Chile;Santiago;Chilean
China;Beijing;Chinese
Colombia;Bogota,Bogotá;Colombian
Congo;Kinshasa,Brazzaville;Congolese
Croatia;Zagreb;Croatian,Croat
Cuba;Havana;Cuban
Cyprus;Nicosia;Cypriot
Czech Republic;Prague;Czech
Czechia;Prague;Czech
Denmark;Copenhagen;Danish,Dane
Ecuador;Quito;Ecuadorian
Egypt;Cairo;Egyptian
Eritrea;Asmara;Eritrean
Estonia;Tallinn;Estonian
Ethiopia;Addis Ababa;Ethiopian
Finland;Helsinki;Finnish,Finn
France;Paris;French
Georgia;Tbilisi;Georgian
Germany;Berlin;German
Ghana;Accra;Ghanaian
Greece;Athens;Greek
Hungary;Budapest;Hungarian
Iceland;Reykjavik;Icelandic,Icelander
India;New Delhi,Delhi;Indian
Indonesia;Jakarta;Indonesian
Iran;Tehran,Teheran;Iranian
Iraq;Baghdad;Iraqi
Ireland;Dublin;Irish
Israel;Jerusalem,Tel Aviv;Israeli
Italy;Rome;Italian
Japan;Tokyo;Japanese
Jordan;Amman;Jordanian
Kazakhstan;Astana,Almaty;Kazakh,Kazakhstani
Kenya;Nairobi;Kenyan
Kosovo;Pristina;Kosovar
Kuwait;Kuwait City;Kuwaiti
Kyrgyzstan;Bishkek;Kyrgyz
Laos;Vientiane;Lao,Laotian
Latvia;Riga;Latvian
Lebanon;Beirut;Lebanese
Libya;Tripoli;Libyan
Lithuania;Vilnius;Lithuanian
Luxembourg;Luxembourg;Luxembourgish
Malaysia;Kuala Lumpur;Malaysian
Mali;Bamako;Malian
Mexico;Mexico City;Mexican
Moldova;Chisinau,Chișinău;Moldovan
Mongolia;Ulaanbaatar,Ulan Bator;Mongolian
Montenegro;Podgorica;Montenegrin
Morocco;Rabat;Moroccan
Myanmar;Naypyidaw,Yangon;Burmese,Myanmarese
Nepal;Kathmandu;Nepali,Nepalese
Netherlands;Amsterdam,The Hague;Dutch
New Zealand;Wellington;New Zealander
Niger;Niamey;Nigerien
Nigeria;Abuja;Nigerian
North Korea;Pyongyang;North Korean
North Macedonia;Skopje;Macedonian
Norway;Oslo;Norwegian
Oman;Muscat;Omani
Pakistan;Islamabad;Pakistani
Palestine;Ramallah;Palestinian
Panama;Panama City;Panamanian
Peru;Lima;Peruvian
Philippines;Manila;Filipino,Philippine
Poland;Warsaw;Polish,Pole
Portugal;Lisbon;Portuguese
Qatar;Doha;Qatari
Romania;Bucharest;Romanian
Russia;Moscow;Russian
Rwanda;Kigali;Rwandan
Saudi Arabia;Riyadh;Saudi
Senegal;Dakar;Senegalese
Serbia;Belgrade;Serbian,Serb
Singapore;Singapore;Singaporean
Slovakia;Bratislava;Slovak,Slovakian
Slovenia;Ljubljana;Slovenian,Slovene
Somalia;Mogadishu;Somali
South Africa;Pretoria,Cape Town;South African
South Korea;Seoul;South Korean,Korean
South Sudan;Juba;South Sudanese
Spain;Madrid;Spanish,Spaniard
Sri Lanka;Colombo;Sri Lankan
Sudan;Khartoum;Sudanese
Sweden;Stockholm;Swedish,Swede
Switzerland;Bern,Berne;Swiss
Syria;Damascus;Syrian
Taiwan;Taipei;Taiwanese
Tajikistan;Dushanbe;Tajik,Tajikistani
Tanzania;Dodoma,Dar es Salaam;Tanzanian
Thailand;Bangkok;Thai
Tunisia;Tunis;Tunisian
Turkey;Ankara;Turkish,Turk
Turkmenistan;Ashgabat;Turkmen
Uganda;Kampala;Ugandan
Ukraine;Kyiv,Kiev;Ukrainian
United Arab Emirates;Abu Dhabi;Emirati
United Kingdom;London;British,Briton
United States;Washington;American
Uruguay;Montevideo;Uruguayan
Uzbekistan;Tashkent;Uzbek
Venezuela;Caracas;Venezuelan
Vietnam;Hanoi;Vietnamese
Yemen;Sanaa,Sana'a;Yemeni
Zambia;Lusaka;Zambian
Zimbabwe;Harare;Zimbabwean
"""

# Other names of the same country, and regions that are places but no country.
_COUNTRY_ALIASES = {
    "US": "United States", "U.S.": "United States", "USA": "United States", "U.S.A.": "United States",
    "America": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "England": "United Kingdom", "Scotland": "United Kingdom",
    "Wales": "United Kingdom", "Russian Federation": "Russia", "PRC": "China",
    "Holland": "Netherlands", "Burma": "Myanmar", "Persia": "Iran", "Türkiye": "Turkey",
    "Turkiye": "Turkey", "UAE": "United Arab Emirates", "DPRK": "North Korea",
    "Ivory Coast": "Ivory Coast", "Gaza": "Palestine", "West Bank": "Palestine",
}

REGIONS: frozenset[str] = frozenset(
    {
        "Europe", "Asia", "Africa", "Middle East", "Near East", "Far East", "Caucasus",
        "South Caucasus", "North Caucasus", "Central Asia", "Balkans", "Baltics", "Urals",
        "Siberia", "Crimea", "Donbas", "Donbass", "Scandinavia", "Latin America",
        "South America", "North America", "Arctic", "Antarctica", "Sahel", "Levant",
        "Gulf", "Persian Gulf", "Black Sea", "Caspian", "Caspian Sea", "Mediterranean",
        "Pacific", "Atlantic", "Indo-Pacific", "Eurasia", "Kashmir", "Karabakh",
        "Nagorno-Karabakh", "Chechnya", "Dagestan", "Tatarstan", "Kurdistan", "Tibet",
        "Xinjiang", "Transnistria", "Abkhazia", "South Ossetia", "Kaliningrad",
        "Silicon Valley", "Wall Street", "East", "West", "Global South",
    }
)

# Demonyms that are groups rather than a country's people.
GROUP_DEMONYMS: frozenset[str] = frozenset(
    {"European", "Asian", "African", "Arab", "Caucasian", "Latino",
     "Jewish", "Muslim", "Christian", "Catholic", "Orthodox", "Sunni", "Shia", "Shiite",
     "Kurdish", "Kurd", "Chechen", "Tatar", "Soviet", "Baltic", "Nordic", "Slavic"}
)


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    countries: dict[str, str] = {}
    capitals: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        country, caps, dems = line.split(";")
        countries[country.lower()] = country
        for cap in caps.split(","):
            capitals.setdefault(cap.lower(), country)
        for dem in dems.split(","):
            demonyms[dem.lower()] = country
            # Plural of the people: "Russians", "Azerbaijanis" (not "Swisss").
            if not dem.endswith(("s", "ese", "sh", "ch")):
                demonyms.setdefault(dem.lower() + "s", country)
    for alias, country in _COUNTRY_ALIASES.items():
        countries.setdefault(alias.lower(), country)
    return countries, capitals, demonyms


def country_of_name(name: str) -> str | None:
    """The country a country name or alias denotes: "Britain" -> "United Kingdom"."""
    return _indexes()[0].get(name.lower())


def country_of_capital(name: str) -> str | None:
    """The country whose capital this is: "Moscow" -> "Russia"."""
    return _indexes()[1].get(name.lower())


def country_of_demonym(word: str) -> str | None:
    """The country of a demonym or its plural: "Azerbaijani(s)" -> "Azerbaijan"."""
    return _indexes()[2].get(word.lower())


def is_place_name(name: str) -> bool:
    """True for a country, capital or well-known region name."""
    lowered = name.lower()
    countries, capitals, _ = _indexes()
    return lowered in countries or lowered in capitals or name in REGIONS


def is_demonym(word: str) -> bool:
    return country_of_demonym(word) is not None or word in GROUP_DEMONYMS


def country_of(name: str) -> str | None:
    """The country any of a country name, capital or demonym points to."""
    return country_of_name(name) or country_of_capital(name) or country_of_demonym(name)

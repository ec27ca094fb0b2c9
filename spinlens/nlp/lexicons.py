"""General English word lists for attribution and entity analysis.

These lists describe how news writing in general attributes claims (wire copy,
broadsheets, opinion blogs), not the phrasing of any one article. Entries are
lower-case lemmas as spaCy's English lemmatiser produces them.
"""

from __future__ import annotations

# Verbs that introduce what someone said or wrote. A "strong" verb attributes
# content on its own ("a farmer said that ..."), so even an unknown common-noun
# subject is taken to be an unnamed person.
SPEECH_VERBS: frozenset[str] = frozenset(
    {
        "say", "tell", "state", "claim", "report", "announce", "confirm", "deny", "add",
        "note", "argue", "warn", "insist", "explain", "stress", "emphasise", "emphasize",
        "assert", "allege", "admit", "acknowledge", "concede", "write", "tweet", "post",
        "declare", "reveal", "disclose", "describe", "cite", "quote", "comment", "remark",
        "reply", "respond", "answer", "complain", "predict", "recall", "mention", "contend",
        "summarize", "summarise", "conclude", "reiterate", "repeat", "testify", "inform",
        "clarify", "underline", "underscore", "maintain", "observe", "point", "boast",
        "brag", "lament", "recount", "relate", "specify", "retort", "counter", "vow",
        "pledge", "promise", "caution", "forecast", "speculate", "hint", "assure", "swear",
        "proclaim", "exclaim", "whisper", "shout", "joke", "quip", "muse", "opine",
        "surmise", "posit", "theorise", "theorize", "stipulate", "affirm", "attest",
        "publish", "broadcast", "leak", "signal", "indicate", "suggest",
    }
)

# Weaker verbs: they attribute only when the subject is recognisably a source
# (a person, body, medium or document), because "the data suggests" or "this
# signals" is the author's own inference, not someone's claim.
WEAK_SPEECH_VERBS: frozenset[str] = frozenset(
    {"signal", "indicate", "suggest", "hint", "observe", "maintain", "publish", "broadcast", "leak"}
)

# Verbs that present findings: attribution only when a study, report or
# researcher is the subject ("studies show that ...").
EVIDENCE_VERBS: frozenset[str] = frozenset({"show", "find", "demonstrate", "prove", "establish", "reveal"})

# Verbs of belief: attribution of a view, counted only with a clausal complement
# ("X believes that ...") and a recognisable source as subject.
COGNITION_VERBS: frozenset[str] = frozenset(
    {
        "believe", "think", "consider", "expect", "fear", "doubt", "suspect", "assume",
        "reckon", "estimate", "feel", "worry", "hope", "agree", "insist", "conclude",
        "calculate", "assess", "judge", "guess", "suppose", "imagine",
    }
)

# Verbs that accept a bare direct object as the reported content ("sources
# confirmed the meeting", "he described the summit as ..."). "say" or "tell"
# with only an object ("said goodbye", "told a story") attributes nothing.
OBJECT_CONTENT_VERBS: frozenset[str] = frozenset(
    {
        "describe", "point", "confirm", "deny", "report", "announce", "reveal", "disclose",
        "claim", "allege", "admit", "acknowledge", "note", "mention", "cite", "quote",
        "predict", "forecast", "leak", "publish", "tweet", "post", "reiterate", "concede",
    }
)

# Verbs whose content may come in a prepositional phrase ("reported on ...",
# "commented about ...", "warned of ...").
PREPOSITION_CONTENT: dict[str, frozenset[str]] = {
    "report": frozenset({"on", "about"}),
    "comment": frozenset({"on", "about"}),
    "write": frozenset({"about", "on"}),
    "speculate": frozenset({"about", "on"}),
    "warn": frozenset({"of", "about", "against"}),
    "complain": frozenset({"about", "of"}),
    "boast": frozenset({"about", "of"}),
    "brag": frozenset({"about"}),
    "testify": frozenset({"about", "to"}),
    "hint": frozenset({"at"}),
    "joke": frozenset({"about"}),
    "tweet": frozenset({"about"}),
    "post": frozenset({"about"}),
}

# "It is X that ..." / "Y is X to ...": hearsay with no agent at all.
HEARSAY_PASSIVE_VERBS: frozenset[str] = frozenset(
    {
        "say", "report", "claim", "allege", "believe", "think", "understand", "know",
        "rumour", "rumor", "expect", "fear", "estimate", "suggest", "consider", "suspect",
        "assume", "state", "tell", "announce", "confirm", "learn", "reveal", "indicate",
        "hear", "hope", "note", "argue", "predict", "assert", "speculate", "whisper",
        "describe", "purport", "presume", "deem",
    }
)

# Adverbs that mark a claim as hearsay without naming anyone.
HEARSAY_ADVERBS: frozenset[str] = frozenset(
    {"reportedly", "allegedly", "purportedly", "supposedly", "reputedly", "rumouredly", "rumoredly"}
)

# Prepositions that introduce a source: "according to X".
ACCORDING_TO = ("according", "to")

# Generic news media: a subject headed by one of these is "the media", unless a
# proper name makes it one identifiable outlet ("the BBC", "Channel One").
MEDIA_NOUNS: frozenset[str] = frozenset(
    {
        "media", "medium", "press", "newspaper", "paper", "tabloid", "outlet", "channel",
        "television", "tv", "broadcaster", "radio", "station", "network", "website", "site",
        "blog", "portal", "magazine", "journal", "daily", "weekly", "newswire", "wire",
        "agency", "publication", "news", "journalist", "reporter", "correspondent",
        "columnist", "editor", "commentator", "pundit", "propagandist", "headline",
        "broadcast", "bulletin", "feed", "podcast", "vlogger", "blogger", "blogosphere",
    }
)

# Media nouns that can also be read as a person's job title when a name is
# attached ("journalist Anna Smith said" is a named person).
MEDIA_PERSON_NOUNS: frozenset[str] = frozenset(
    {"journalist", "reporter", "correspondent", "columnist", "editor", "commentator", "pundit",
     "propagandist", "vlogger", "blogger"}
)

# Report-like nouns that say nothing about who is behind them: "reports say",
# "the information stated", "rumours have it". With "media"/"press"/"news" in
# front they become media ("media reports").
HEARSAY_NOUNS: frozenset[str] = frozenset(
    {
        "report", "information", "rumour", "rumor", "word", "speculation", "claim",
        "allegation", "account", "story", "gossip", "hearsay", "chatter", "leak", "intelligence",
        "data", "evidence", "estimate", "assessment", "finding",
    }
)

# Documents that speak ("the statement said", "the letter claimed"): the
# document needs an author to be more than unattributed.
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    {
        "statement", "document", "letter", "memo", "memorandum", "study", "survey", "poll",
        "paper", "release", "communique", "communiqué", "note", "transcript", "filing",
        "indictment", "ruling", "verdict", "decree", "order", "readout", "dossier",
        "analysis", "review", "post", "tweet", "message", "video", "footage", "book",
        "article", "editorial", "op-ed", "column", "blog", "website", "record", "records",
        "email", "file", "lawsuit", "suit", "motion", "petition", "complaint", "affidavit",
        "testimony", "summary", "draft", "text",
    }
)

# Nouns that stand for an institution, which speaks as a body even unnamed:
# "the government said", "police confirmed", "the company denied".
INSTITUTION_NOUNS: frozenset[str] = frozenset(
    {
        "government", "ministry", "police", "army", "military", "administration", "court",
        "parliament", "council", "committee", "department", "embassy", "company", "firm",
        "party", "office", "cabinet", "presidency", "kremlin", "commission", "authority",
        "regulator", "prosecutor", "prosecution", "agency", "bank", "board",
        "union", "senate", "congress", "assembly", "legislature", "secretariat", "force",
        "forces", "command", "headquarters", "service", "bureau", "institute", "university",
        "organisation", "organization", "group", "campaign", "coalition", "alliance",
        "federation", "association", "regime", "junta", "opposition", "hospital", "school",
        "airline", "manufacturer", "operator", "corporation", "tribunal", "watchdog",
        "mission", "delegation", "consulate", "municipality", "mayoralty", "governorate",
        "state", "ministries", "authorities",
    }
)

# Speakers on behalf of a body: with a named body ("a Pentagon spokesperson",
# "a spokesman for the Ministry of Defence") the claim is the body's.
SPOKES_NOUNS: frozenset[str] = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "representative", "mouthpiece", "envoy",
     "ambassador", "press secretary", "secretary", "office", "service", "statement"}
)

# Unnamed people: "sources", "officials", "insiders", "experts", "observers".
ANONYMOUS_NOUNS: frozenset[str] = frozenset(
    {
        "source", "official", "insider", "expert", "observer", "analyst", "diplomat",
        "person", "people", "witness", "resident", "aide", "adviser", "advisor", "critic",
        "commentator", "specialist", "scholar", "scientist", "researcher", "economist",
        "activist", "supporter", "opponent", "member", "lawmaker", "legislator", "politician",
        "officer", "soldier", "worker", "employee", "staff", "staffer", "investigator",
        "negotiator", "mediator", "participant", "attendee", "onlooker", "bystander",
        "eyewitness", "local", "villager", "citizen", "voter", "user", "netizen",
        "someone", "somebody", "many", "some", "others", "other", "few", "everyone",
        "everybody", "anyone", "nobody", "figure", "confidant", "associate",
        "colleague", "friend", "relative", "neighbour", "neighbor", "man", "woman", "men",
        "women", "individual", "farmer", "driver", "doctor", "nurse", "teacher", "student",
        "lawyer", "attorney", "engineer", "executive", "manager", "director", "chief",
        "leader", "head", "minister", "president", "governor", "mayor", "general",
        "commander", "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson",
        "representative", "cleric", "priest", "professor", "historian", "pollster",
        "strategist", "consultant", "veteran", "survivor", "victim", "refugee", "protester",
        "fighter", "militant", "rebel", "hacker", "whistleblower", "informant", "contact",
        "interlocutor", "circle", "circles", "quarters", "camp",
    }
)

# Job titles and honorifics that can precede a person's name. Stripped from
# entity names ("President Vladimir Putin" -> "Vladimir Putin") and used to
# recognise "blogger Roman Antonovskiy" as a named person.
PERSON_TITLES: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord",
        "lady", "president", "vice-president", "vice", "prime", "minister", "premier",
        "chancellor", "secretary", "senator", "sen", "rep", "representative", "congressman",
        "congresswoman", "governor", "gov", "mayor", "general", "gen", "lt", "col",
        "colonel", "major", "captain", "capt", "admiral", "adm", "commander", "sergeant",
        "king", "queen", "prince", "princess", "emir", "sheikh", "sultan", "pope", "father",
        "rev", "reverend", "rabbi", "imam", "patriarch", "ayatollah", "judge", "justice",
        "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "chairman",
        "chairwoman", "chair", "ceo", "director", "chief", "head", "leader", "deputy",
        "foreign", "defence", "defense", "interior", "finance", "economy", "health", "state",
        "blogger", "journalist", "analyst", "expert", "economist",
        "commentator", "columnist", "reporter", "correspondent", "editor", "historian",
        "political", "scientist", "writer", "author", "activist", "lawyer", "attorney",
        "lawmaker", "mp", "mep", "opposition", "dictator", "strongman", "tsar",
        "well-known", "famous", "renowned", "prominent", "veteran", "former", "ex", "late",
        "then", "acting", "incumbent", "embattled", "controversial", "pro-kremlin",
        "military", "war", "pundit", "propagandist", "presenter", "host", "anchor",
        "officer", "soldier", "doctor", "dr.", "mr.", "mrs.", "ms.", "st.", "gen.", "lt.",
        "col.", "sen.", "rep.", "gov.", "prof.", "rev.", "capt.", "adm.", "sgt.",
    }
)

# Titles of the top person of a country: "the Russian leader", "Azerbaijan's
# president". Used to merge such descriptions with a named person.
LEADER_TITLES: frozenset[str] = frozenset(
    {
        "president", "leader", "premier", "chancellor", "king", "queen", "emir", "sultan",
        "ruler", "dictator", "strongman", "autocrat", "monarch", "tsar", "czar", "shah",
        "head of state", "prime minister", "supreme leader", "crown prince",
    }
)

# Role titles that name a different office from the leader: a description with
# these is merged only with an explicit apposition, never by co-occurrence.
OFFICE_TITLES: frozenset[str] = frozenset(
    {
        "foreign minister", "defence minister", "defense minister", "interior minister",
        "finance minister", "prime minister", "vice president", "vice-president",
        "secretary of state", "ambassador", "envoy", "spokesman", "spokeswoman",
        "spokesperson", "minister", "general", "commander", "governor", "mayor",
        "press secretary", "foreign secretary", "chancellor", "premier",
    }
)

# Nouns that carry words someone uttered or published: a quotation hanging
# from one of these ("headlines like '...'", "a statement reading '...'")
# belongs to whoever produced the headline or statement.
SPEECH_NOUNS: frozenset[str] = frozenset(
    {
        "headline", "statement", "word", "words", "slogan", "message", "post", "tweet",
        "remark", "comment", "quote", "quotation", "title", "caption", "banner", "chant",
        "claim", "phrase", "line", "declaration", "announcement", "assurance", "promise",
        "warning", "threat", "response", "reply", "answer", "speech", "address",
        "interview", "saying", "motto", "refrain", "sign", "placard", "poster", "op-ed",
    }
)

# Pronoun subjects and how a speaker behind them can be found.
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS: frozenset[str] = frozenset({"they", "them"})
AUTHOR_PRONOUNS: frozenset[str] = frozenset({"i", "we", "me", "us", "you"})
NON_SOURCE_PRONOUNS: frozenset[str] = frozenset(
    {"this", "that", "these", "those", "what", "which", "it", "there", "itself", "who", "whom", "one"}
)
VAGUE_PRONOUNS: frozenset[str] = frozenset(
    {"someone", "somebody", "some", "many", "others", "few", "everyone", "everybody",
     "anyone", "anybody", "nobody", "several", "most", "all", "both"}
)

# Prefixes of hyphenated adjectives that keep the demonym as a mention:
# "anti-Russian" still names Russians.
DEMONYM_PREFIXES: frozenset[str] = frozenset(
    {"anti", "pro", "non", "post", "pre", "pan", "neo", "ex", "un", "all"}
)

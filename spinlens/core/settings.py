"""Defaults and limits, declared once."""

from __future__ import annotations

# Inputs larger than this are refused, not truncated: a truncated article would
# silently change what the offsets point at.
MAX_INPUT_BYTES = 2 * 1024 * 1024  # 2 MiB of raw file or HTTP body
MAX_TEXT_CHARS = 500_000  # characters of extracted article text

FETCH_TIMEOUT_SECONDS = 10.0
FETCH_MAX_REDIRECTS = 5
FETCH_USER_AGENT = "spinlens/0.1 (+https://github.com/spinlens/spinlens)"

# Below this share of English-looking words the text is reported as non-English.
ENGLISH_MIN_SCORE = 0.5

TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_Fear-Prejudice",
    "Appeal_to_Hypocrisy",
    "Appeal_to_Popularity",
    "Appeal_to_Time",
    "Appeal_to_Values",
    "Causal_Oversimplification",
    "Consequential_Oversimplification",
    "Conversation_Killer",
    "Doubt",
    "Exaggeration-Minimisation",
    "False_Dilemma-No_Choice",
    "Flag_Waving",
    "Guilt_by_Association",
    "Loaded_Language",
    "Name_Calling-Labeling",
    "Obfuscation-Vagueness-Confusion",
    "Questioning_the_Reputation",
    "Red_Herring",
    "Repetition",
    "Slogans",
    "Straw_Man",
    "Whataboutism",
)

# The six families of the SemEval-2023 Task 3 taxonomy, used for colours and filters.
TECHNIQUE_FAMILIES: dict[str, tuple[str, ...]] = {
    "Attack on reputation": (
        "Name_Calling-Labeling",
        "Guilt_by_Association",
        "Doubt",
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
    ),
    "Justification": (
        "Flag_Waving",
        "Appeal_to_Authority",
        "Appeal_to_Popularity",
        "Appeal_to_Values",
        "Appeal_to_Fear-Prejudice",
    ),
    "Simplification": (
        "Causal_Oversimplification",
        "False_Dilemma-No_Choice",
        "Consequential_Oversimplification",
    ),
    "Distraction": ("Straw_Man", "Red_Herring", "Whataboutism"),
    "Call": ("Slogans", "Conversation_Killer", "Appeal_to_Time"),
    "Manipulative wording": (
        "Loaded_Language",
        "Obfuscation-Vagueness-Confusion",
        "Exaggeration-Minimisation",
        "Repetition",
    ),
}

GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")

FRAMES: tuple[str, ...] = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)


def technique_family(label: str) -> str:
    for family, members in TECHNIQUE_FAMILIES.items():
        if label in members:
            return family
    return "Other"


def humanise(label: str) -> str:
    """``Name_Calling-Labeling`` -> ``name calling / labeling``."""
    return label.replace("_", " ").replace("-", " / ").lower()

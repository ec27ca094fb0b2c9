"""Roles: the role heads also read what kind of thing the mention names (round 30).

Fine roles go with kinds of entity: a "Foreign Adversary" or an "Instigator" is mostly a country, a "Tyrant"
a person, a "Conspirator" an organisation or an elite, a "Victim" a group of people. The mention's words say
this for entities seen in training ("ent=", "ew=" features), not for new ones. Here each mention's features
also name spaCy's entity label of its head word (`type=PERSON`, `type=GPE`, ..., `type=none`) and, with
`kind+tag`, its part-of-speech tag (`tag=NNPS`: plural names such as "Ukrainians"); the rest of `spinlens
evaluate semeval2025` as shipped (both the main-role and the fine-role heads read every feature).

    VARIANT=kind python experiments/role_entity_kind_probe.py        (about 6 min)
    VARIANT=kind+tag python experiments/role_entity_kind_probe.py
"""

import os
import sys

import spinlens.train.semeval2025 as training
from spinlens.models.semeval2025 import mention_features, mention_span

VARIANT = os.environ.get("VARIANT", "kind")
DATA = os.environ.get("SPINLENS_DATA", "../shared/data")


def with_kind(doc, start, end, mates=(), domain=None):
    feats = mention_features(doc, start, end, mates, domain)
    root = mention_span(doc, start, end).root
    feats.append("type=" + (root.ent_type_ or "none"))
    if VARIANT == "kind+tag":
        feats.append("tag=" + root.tag_)
    return feats


training.mention_features = with_kind

if __name__ == "__main__":
    from spinlens.cli import main

    print(f"variant {VARIANT}", flush=True)
    sys.argv = ["spinlens", "evaluate", "semeval2025", "--data", f"{DATA}/semeval2025-task10/EN"]
    main()

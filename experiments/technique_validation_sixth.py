"""What the round-32 steady-tuning probes share: the validation sixth that `spinlens train techniques-encoder`
tunes on, and the linear models fitted on the other five sixths (kept in $LINEAR_CACHE between runs)."""
import os
import pickle
from pathlib import Path

from spinlens.datasets.semeval2023 import load_dataset
from spinlens.train.semeval2023 import fit_models
from spinlens.train.technique_encoder import FineTuneSettings, validation_split


def validation_sixth():
    """(fitting articles, validation articles, linear models fitted on the fitting ones), in the data's order."""
    data = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3" / "en"
    cache = Path(os.environ.get("LINEAR_CACHE", "/tmp/spinlens-linear-fitting.pkl"))
    articles = [a for a in load_dataset(data).articles if a.has_techniques]
    held = validation_split([a.id for a in articles], FineTuneSettings().validation_share, 13)
    fitting = [a for a in articles if a.id not in held]
    validation = [a for a in articles if a.id in held]
    if cache.is_file():
        linear_models = pickle.loads(cache.read_bytes())
    else:
        linear_models = fit_models(fitting, seed=13)
        cache.write_bytes(pickle.dumps(linear_models))
    return fitting, validation, linear_models

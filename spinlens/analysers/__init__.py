"""Analysers: one module per job, run in the order ``registry.build_analysers`` gives.

Each analyser declares what it needs from the shared :class:`~spinlens.analysers.base.Context`
(``requires``) and what it writes into the analysis (``assigns``).
"""

"""Settings of the web app, declared once with their defaults and help."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from spinlens.core.settings import MAX_INPUT_BYTES

TOKEN_ENV = "SPINLENS_TOKEN"

# A request body may carry the largest accepted article plus form or JSON overhead.
MAX_BODY_BYTES = MAX_INPUT_BYTES + 256 * 1024


@dataclass(frozen=True)
class WebSettings:
    db_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = field(default_factory=lambda: os.environ.get(TOKEN_ENV) or None)
    max_body_bytes: int = MAX_BODY_BYTES
    analysis_timeout: float = 60.0
    workers: int = max(1, min(2, os.cpu_count() or 1))
    models_dir: Path | None = None
    # Only tests turn this on, to fetch pages from a server on loopback.
    allow_private_fetch: bool = False
    # Only tests set this: "module:function" building the workers' pipeline instead of load_pipeline.
    pipeline_factory: str | None = None

    @property
    def loopback_only(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def requires_token(self) -> bool:
        return not self.loopback_only or self.token is not None

    def check(self) -> None:
        """Refuse configurations that would expose write endpoints without protection."""
        from spinlens.core.errors import SpinlensError

        if not self.loopback_only and not self.token:
            raise SpinlensError(
                f"refusing to listen on {self.host} without a token: pass --token or set {TOKEN_ENV} "
                "(write endpoints need it when the server is reachable from other machines)"
            )
        if self.token is not None and len(self.token) < 16:
            raise SpinlensError("the token must be at least 16 characters long")
        if self.workers < 1:
            raise SpinlensError("workers must be at least 1")

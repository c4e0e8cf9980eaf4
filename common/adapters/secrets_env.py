"""The embedded secrets: environment variables, then a ``.env`` file.

Secret ``gemini-api-key`` is read from ``GEMINI_API_KEY``: upper case, dashes to underscores.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def env_name(secret: str) -> str:
    """The environment variable that holds ``secret``."""
    return secret.upper().replace("-", "_")


class EnvSecrets:
    """:class:`common.ports.Secrets` from the environment and an optional ``.env`` file."""

    def __init__(
        self, env: Mapping[str, str] | None = None, dotenv: str | Path | None = ".env"
    ) -> None:
        self.env = os.environ if env is None else env
        self.file: dict[str, str | None] = {}
        if dotenv and Path(dotenv).is_file():
            from dotenv import dotenv_values

            self.file = dict(dotenv_values(dotenv))

    def get(self, name: str) -> str | None:
        key = env_name(name)
        return self.env.get(key) or self.file.get(key) or None

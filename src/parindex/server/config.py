"""Settings read from the environment into one typed object.

Every field says what it is for. Development defaults are safe on one machine (SQLite under
``./var``); in production (``PARINDEX_ENV=production``) the app refuses to start with a
placeholder secret key or without allowed hosts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from parindex.core.errors import ParindexError

DEV_SECRET_KEY = "parindex-development-only-secret-key-never-use-in-production"


class ConfigurationError(ParindexError, RuntimeError):
    """The environment describes a deployment that must not start."""


@dataclass(frozen=True)
class Settings:
    environment: str = field(
        default="development", metadata={"env": "PARINDEX_ENV", "help": "development or production"}
    )
    secret_key: str = field(
        default=DEV_SECRET_KEY,
        metadata={
            "env": "PARINDEX_SECRET_KEY",
            "help": "Django secret key; required in production",
        },
    )
    data_dir: Path = field(
        default=Path("var"),
        metadata={
            "env": "PARINDEX_DATA_DIR",
            "help": "folder for the SQLite database, uploads, static",
        },
    )
    database_url: str = field(
        default="",
        metadata={"env": "DATABASE_URL", "help": "e.g. postgresql://user@host/db; empty: SQLite"},
    )
    allowed_hosts: tuple[str, ...] = field(
        default=("127.0.0.1", "localhost"),
        metadata={"env": "PARINDEX_ALLOWED_HOSTS", "help": "comma-separated host names served"},
    )
    demo: bool = field(
        default=False,
        metadata={"env": "PARINDEX_DEMO", "help": "1 when the database holds synthetic demo data"},
    )
    debug: bool = field(
        default=False, metadata={"env": "PARINDEX_DEBUG", "help": "1 shows Django's debug pages"}
    )

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "parindex.sqlite3"

    @classmethod
    def from_environ(cls, environ: os._Environ[str] | dict[str, str] = os.environ) -> Settings:
        defaults = cls()
        values: dict[str, object] = {}
        for name, spec in cls.__dataclass_fields__.items():
            raw = environ.get(spec.metadata["env"])
            if raw is None or raw == "":
                continue
            current = getattr(defaults, name)
            if isinstance(current, bool):
                values[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            elif isinstance(current, Path):
                values[name] = Path(raw)
            elif isinstance(current, tuple):
                values[name] = tuple(h.strip() for h in raw.split(",") if h.strip())
            else:
                values[name] = raw
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.environment not in {"development", "production"}:
            raise ConfigurationError(
                f"PARINDEX_ENV={self.environment!r}: expected 'development' or 'production'"
            )
        if self.production and (self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32):
            raise ConfigurationError(
                "PARINDEX_ENV=production needs PARINDEX_SECRET_KEY: a random value of"
                " 32+ characters, not the development placeholder"
            )
        if self.production and self.debug:
            raise ConfigurationError("PARINDEX_DEBUG must be off when PARINDEX_ENV=production")

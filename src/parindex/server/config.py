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
    ssl_redirect: bool = field(
        default=True,
        metadata={
            "env": "PARINDEX_SSL_REDIRECT",
            "help": "production: send plain-HTTP requests to HTTPS (0 to leave it to the proxy)",
        },
    )
    hsts_seconds: int = field(
        default=31_536_000,
        metadata={
            "env": "PARINDEX_HSTS_SECONDS",
            "help": "production: Strict-Transport-Security max-age in seconds (0: no header)",
        },
    )
    hsts_include_subdomains: bool = field(
        default=False,
        metadata={
            "env": "PARINDEX_HSTS_INCLUDE_SUBDOMAINS",
            "help": "production: HSTS covers every subdomain too",
        },
    )
    hsts_preload: bool = field(
        default=False,
        metadata={
            "env": "PARINDEX_HSTS_PRELOAD",
            "help": "production: ask browsers to preload HSTS for the domain",
        },
    )
    behind_tls_proxy: bool = field(
        default=False,
        metadata={
            "env": "PARINDEX_BEHIND_TLS_PROXY",
            "help": "1 when a proxy terminates TLS and sets X-Forwarded-Proto / X-Forwarded-For",
        },
    )
    csrf_trusted_origins: tuple[str, ...] = field(
        default=(),
        metadata={
            "env": "PARINDEX_CSRF_TRUSTED_ORIGINS",
            "help": "comma-separated origins allowed to post forms, e.g. https://chiso.gov.vn",
        },
    )
    login_failure_limit: int = field(
        default=5,
        metadata={
            "env": "PARINDEX_LOGIN_FAILURE_LIMIT",
            "help": "wrong passwords in a row that lock an account name",
        },
    )
    login_lockout_minutes: int = field(
        default=15,
        metadata={
            "env": "PARINDEX_LOGIN_LOCKOUT_MINUTES",
            "help": "how long a locked account name stays locked",
        },
    )
    webform_failures_per_client: int = field(
        default=10,
        metadata={
            "env": "PARINDEX_WEBFORM_FAILURES_PER_CLIENT",
            "help": "web form: ballot codes opening nothing from one address in 10 minutes",
        },
    )
    webform_failures_per_survey: int = field(
        default=300,
        metadata={
            "env": "PARINDEX_WEBFORM_FAILURES_PER_SURVEY",
            "help": "web form: ballot codes opening nothing for one survey in 10 minutes",
        },
    )
    boundaries: tuple[str, ...] = field(
        default=(),
        metadata={
            "env": "PARINDEX_BOUNDARIES",
            "help": "comma-separated GeoJSON/TopoJSON province boundary files for the map",
        },
    )
    feedback_info_clock: str = field(
        default="runs",
        metadata={
            "env": "PARINDEX_FEEDBACK_INFO_CLOCK",
            "help": "feedback: a request for more information leaves the 15-day clock running"
            " (runs), stops it until the answer (suspended) or restarts it (restarted)",
        },
    )
    housekeeping_hours: int = field(
        default=6,
        metadata={
            "env": "PARINDEX_HOUSEKEEPING_HOURS",
            "help": "worker: hours between housekeeping runs (apologies, lapses, old jobs)",
        },
    )
    job_retention_days: int = field(
        default=30,
        metadata={
            "env": "PARINDEX_JOB_RETENTION_DAYS",
            "help": "finished background jobs and their files are deleted after this many days",
        },
    )
    log_level: str = field(
        default="INFO",
        metadata={"env": "PARINDEX_LOG_LEVEL", "help": "DEBUG, INFO, WARNING or ERROR"},
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
            elif isinstance(current, int):
                try:
                    values[name] = int(raw)
                except ValueError:
                    raise ConfigurationError(
                        f"{spec.metadata['env']}={raw!r}: expected a whole number"
                    ) from None
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
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigurationError(
                f"PARINDEX_LOG_LEVEL={self.log_level!r}: expected DEBUG, INFO, WARNING or ERROR"
            )
        for origin in self.csrf_trusted_origins:
            if not origin.startswith(("https://", "http://")):
                raise ConfigurationError(
                    f"PARINDEX_CSRF_TRUSTED_ORIGINS: {origin!r} needs its scheme, "
                    "e.g. https://chiso.gov.vn"
                )
        if self.feedback_info_clock not in {"runs", "suspended", "restarted"}:
            raise ConfigurationError(
                f"PARINDEX_FEEDBACK_INFO_CLOCK={self.feedback_info_clock!r}: expected runs,"
                " suspended or restarted"
            )
        if self.housekeeping_hours < 1 or self.job_retention_days < 1:
            raise ConfigurationError(
                "PARINDEX_HOUSEKEEPING_HOURS and PARINDEX_JOB_RETENTION_DAYS must be 1 or more"
            )
        if self.login_failure_limit < 1 or self.login_lockout_minutes < 1:
            raise ConfigurationError(
                "PARINDEX_LOGIN_FAILURE_LIMIT and PARINDEX_LOGIN_LOCKOUT_MINUTES must be 1 or more"
            )

"""Logging for every command: to stderr (stdout is for results and, under `turnover mcp`, the protocol).

Loggers that write SQL parameters or full URLs (feed URLs and token hashes are secrets) stay at
WARNING whatever the level. Standard library only, so importing it keeps `turnover --help` fast.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal, cast

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SECRET_LEAKING_LOGGERS = ("aiosqlite", "httpx", "httpx2", "httpcore", "sqlalchemy.engine")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_stderr(level: str) -> LogLevel:
    """Configure the root logger on stderr at `level` (WARNING if unknown); returns the level used."""
    name = level.upper() if level.upper() in LEVELS else "WARNING"
    logging.basicConfig(stream=sys.stderr, level=name, format=LOG_FORMAT)
    for quiet in SECRET_LEAKING_LOGGERS:
        logging.getLogger(quiet).setLevel(max(logging.WARNING, logging.getLevelName(name)))
    return cast(LogLevel, name)

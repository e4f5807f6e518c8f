"""Dramatiq workers: `dramatiq workers` imports this package, which imports the broker first and
then every actor module.

    dramatiq workers --processes 2 --threads 8
"""

from . import broker  # noqa: F401  (must come first)

__all__ = ["broker"]

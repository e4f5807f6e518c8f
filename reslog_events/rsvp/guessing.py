"""The per-address limit on guessing invitees' links (docs/security.md, "Rate limits"): 10 misses
a minute and 50 an hour per client address, over every URL that takes an RSVP token. Only
misses (404) count; an address that has used up a limit is refused (429) until that window
ends, whatever the token.

A fast path of the RSVP page (bench/pages.py, docs/benchmarks.md "Fast paths"): Flask-Limiter
read both counters before every request and a window again for its X-RateLimit headers, four
Redis round trips and a tenth of the CPU of a request that is nearly always a page. Here a page
served costs one read (is this address blocked?); counting, and marking an address blocked when
a count reaches its limit, happen on misses only. The counts live in Flask-Limiter's storage
(Redis, shared by the processes), or in this process's memory while that storage does not
answer (`RETRY_SECONDS`), as Flask-Limiter's own limits do.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from werkzeug.exceptions import NotFound

from ..extensions import limiter

logger = logging.getLogger(__name__)

#: the limits on misses per address (docs/security.md)
LIMITS = parse_many("10 per minute;50 per hour")
SCOPE = "rsvp-token"
#: while the shared storage fails, this process counts in memory and tries it again after this
RETRY_SECONDS = 5.0

T = TypeVar("T")


def _blocked_key(address: str) -> str:
    return f"LIMITER/{SCOPE}-blocked/{address}"


class GuessingLimit:
    """The counts of one app (`app.extensions["rsvp_guessing"]`)."""

    def __init__(self) -> None:
        self._memory = FixedWindowRateLimiter(MemoryStorage())
        self._shared_fails_until = 0.0

    def _counters(self) -> RateLimiter:
        if time.monotonic() < self._shared_fails_until:
            return self._memory
        return limiter.limiter

    def _with_counters(self, work: Callable[[RateLimiter], T]) -> T:
        counters = self._counters()
        try:
            return work(counters)
        except Exception as error:  # noqa: BLE001 - storage down: never the request's failure
            if counters is self._memory:
                raise
            logger.warning("rate limit storage unreachable (%s): counting in memory", error)
            self._shared_fails_until = time.monotonic() + RETRY_SECONDS
            return work(self._memory)

    def blocked(self, address: str) -> bool:
        """Whether `address` has used up a limit (one read)."""
        return self._with_counters(lambda c: c.storage.get(_blocked_key(address)) > 0)

    def missed(self, address: str) -> None:
        """Count a miss of `address`; at a limit, block it until that limit's window ends."""

        def count(counters: RateLimiter) -> None:
            until = 0.0
            for item in LIMITS:
                counters.hit(item, SCOPE, address)
                window = counters.get_window_stats(item, SCOPE, address)
                if window.remaining <= 0:
                    until = max(until, window.reset_time)
            if until:
                seconds = max(1, math.ceil(until - time.time()))
                counters.storage.incr(_blocked_key(address), expiry=seconds)

        self._with_counters(count)

    def reset(self) -> None:
        """Forget the counts kept in memory (tests; the shared ones: `limiter.reset()`)."""
        self._memory.storage.reset()
        self._shared_fails_until = 0.0


def token_guessing_limit(view: Callable[..., Any]) -> Callable[..., Any]:
    """Apply the limit to a view that takes an invitee's token (its misses count)."""

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        if not limiter.enabled:  # RATELIMIT_ENABLED=false, or a test
            return view(*args, **kwargs)
        counts: GuessingLimit = current_app.extensions["rsvp_guessing"]
        address = get_remote_address()
        if counts.blocked(address):
            abort(429)
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except NotFound:
            counts.missed(address)
            raise
        if response.status_code == 404:
            counts.missed(address)
        return response

    return limited


def init_app(app: Flask) -> None:
    app.extensions["rsvp_guessing"] = GuessingLimit()

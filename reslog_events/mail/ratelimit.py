"""The provider's rate limit, shared by every worker: at most MAIL_RATE_PER_SECOND messages per
second toward SMTP or SendGrid (0: no limit).

Dramatiq's window rate limiter keeps the count in Redis when REDIS_URL is set (so two worker
processes on two machines share it) and in memory otherwise (the embedded worker: one process).
"""

from __future__ import annotations

import logging
import random
import time

from dramatiq.rate_limits import WindowRateLimiter
from dramatiq.rate_limits.backends import RedisBackend, StubBackend
from flask import Flask

from .backends import OwnRateLimit

logger = logging.getLogger(__name__)

#: how long a worker thread waits for a slot before handing the message back for later
MAX_WAIT_SECONDS = 10.0
#: how far into the next one-second window a thread that found the window full wakes, at most
WAKE_SPREAD = 0.9


class ScriptedRedisBackend(RedisBackend):
    """Dramatiq's Redis rate-limit backend with `incr_and_sum` as one Lua script.

    The stock one takes a slot with WATCH, GET, MGET and MULTI/EXEC: four round trips, and
    under contention (every worker thread takes a slot for every message, on the same key) a
    WatchError and a retry for all but one of them. The script does the same check-and-set
    atomically in one round trip."""

    SCRIPT = """
    local amount = tonumber(ARGV[1])
    local maximum = tonumber(ARGV[2])
    local value = tonumber(redis.call('GET', KEYS[1]) or '0') + amount
    if value > maximum then return 0 end
    local total = amount
    for i = 2, #KEYS do
        total = total + tonumber(redis.call('GET', KEYS[i]) or '0')
    end
    if total > maximum then return 0 end
    redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
    return 1
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._incr_and_sum = self.client.register_script(self.SCRIPT)

    def incr_and_sum(self, key, keys, amount, maximum, ttl):
        window = list(keys())
        return bool(self._incr_and_sum(keys=[key, *window], args=[amount, maximum, ttl]))


def provider_limiter(app: Flask) -> WindowRateLimiter | None:
    rate = int(app.config.get("MAIL_RATE_PER_SECOND") or 0)
    if rate <= 0:
        return None
    limiter = app.extensions.get("mail_rate_limiter")
    if limiter is None or limiter.limit != rate:
        url = app.config.get("REDIS_URL")
        if url and url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            backend = ScriptedRedisBackend(
                client=redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            )
        else:
            backend = StubBackend()
        key = f"reslog-events:mail-rate:{app.config['MAIL_BACKEND']}"
        limiter = WindowRateLimiter(backend, key, limit=rate, window=1)
        app.extensions["mail_rate_limiter"] = limiter
    return limiter


def acquire_send_slot(app: Flask) -> None:
    """Block until the shared limit allows one more message; raise OwnRateLimit after
    MAX_WAIT_SECONDS (the row comes back in a second, its attempt given back). When the
    limiter's Redis is unreachable the message goes anyway: the provider's own limit (429,
    SMTP 4xx) still protects it, and the retry path handles those."""
    limiter = provider_limiter(app)
    if limiter is None:
        return
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    while True:
        try:
            with limiter.acquire(raise_on_failure=False) as acquired:
                if acquired:
                    return
        except Exception as exc:  # noqa: BLE001 - redis errors of any kind: fail open
            logger.warning("mail rate limiter unavailable (%s); sending without it", exc)
            return
        if time.monotonic() >= deadline:
            raise OwnRateLimit("Local rate limit toward the mail provider", retry_after=1)
        # The window is one second wide: wait for the next one, at a point drawn over all of
        # it, so that the threads waiting take its slots (and send, and spend the CPU of
        # sending) through the second instead of all in its first instant (bench/surge.py).
        time.sleep(1.0 - (time.time() % 1.0) + random.uniform(0, WAKE_SPREAD))  # noqa: S311


class SendSlots:
    """The slots of one batch of messages, taken from the shared limit up to a tenth of it at a
    time (one Redis round trip for several messages instead of one each):

        slots = SendSlots(app)
        slots.take(remaining=len(rows) - index)   # before each message

    A slot counts in the second it was taken; the messages it covers leave within a fraction of
    a second of it. Below 20 messages per second slots are taken one at a time as before."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.held = 0

    def take(self, remaining: int = 1) -> None:
        if self.held > 0:
            self.held -= 1
            return
        limiter = provider_limiter(self.app)
        if limiter is None:
            return
        amount = min(remaining, limiter.limit // 10)
        if amount > 1 and _take_many(limiter, amount):
            self.held = amount - 1
            return
        acquire_send_slot(self.app)


def _take_many(limiter: WindowRateLimiter, amount: int) -> bool:
    """`amount` slots of the current window at once, or none (False)."""
    try:
        keys = limiter._get_keys()
        return bool(
            limiter.backend.incr_and_sum(
                keys[0], limiter._get_keys, amount, maximum=limiter.limit, ttl=limiter.window_millis
            )
        )
    except Exception:  # noqa: BLE001 - redis errors: acquire_send_slot decides (fails open)
        return False

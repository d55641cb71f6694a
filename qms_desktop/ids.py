"""Record ids: time-ordered UUIDs (version 7 layout) as text.

Stable across copies so two databases can later be merged; time-ordered so that keyset
paging by id follows creation order and the primary-key index stays append-mostly.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Who gives out ids inside `issued_by` (the sample company, writing a firm's past).
_issuer: ContextVar[Callable[[], str] | None] = ContextVar("id_issuer", default=None)


@contextmanager
def issued_by(issuer: Callable[[], str]) -> Iterator[None]:
    """Ids made inside the block without a generator of their own come from `issuer`: the
    sample company writes through the services and still gives the same ids for a seed."""
    token = _issuer.set(issuer)
    try:
        yield
    finally:
        _issuer.reset(token)


def new_id(rng: random.Random | None = None, millis: int | None = None) -> str:
    """A new id. The sample company passes its seeded generator so a seed gives the same ids."""
    issuer = _issuer.get()
    if issuer is not None and rng is None and millis is None:
        return issuer()
    if millis is None:
        millis = time.time_ns() // 1_000_000
    rand = rng.getrandbits(80) if rng is not None else int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= ((rand >> 64) & 0xFFF) << 64
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))

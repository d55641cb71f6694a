"""Two people on one PostgreSQL server save the same 5 whys at the same moment, each from the
chain as they read it: exactly one save lands, the other is refused, and nothing of the one
that landed is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qms_desktop import nonconformities
from qms_desktop.models import Nonconformity
from tests.qms_desktop.at_once import race


def _read(nc_id: str) -> tuple[Nonconformity, Any]:
    nc = Nonconformity.get_by_id(nc_id)
    return nc, nonconformities.why_chain(nc)


def _save(nc: Nonconformity, answers: list[str], read: Any) -> None:
    nonconformities.set_why_chain(nc, answers, read=read)


def test_two_saves_of_the_same_whys_at_once_one_is_refused(server_url: str) -> None:
    from qms_desktop.server import open_server

    with open_server(server_url):
        nc = nonconformities.create_nonconformity("Scratched panels", dt.date(2025, 2, 3),
                                                  today=dt.date(2025, 6, 30))
        nonconformities.set_why_chain(nc, ["Rubbed in transit", "No separators"])
        nc_id = nc.id

    wanted = {"Ann Lee": ["Rubbed in transit", "Separators ran out"],
              "Maria Khan": ["Rubbed in transit", "Box too small", "Ordered late"]}
    winner, _message = race(server_url, nc_id, wanted, _read, _save)
    with open_server(server_url):
        stored = [s.answer for s in nonconformities.why_chain(Nonconformity.get_by_id(nc_id))]
    assert stored == wanted[winner]

"""A copy of the records as of a moment, made on a PostgreSQL server: the rows are read over
the server's connection (there is no file to attach), as a review's pack as of its cut-off
and the closing dialog need."""

from __future__ import annotations

import datetime as dt

from qms_desktop import clock, records, server
from qms_desktop.as_of import records_as_of
from qms_desktop.models import Site


def test_the_records_as_of_a_moment_on_a_server(server_url: str) -> None:
    with server.open_server(server_url):
        with clock.stopped_at(dt.datetime(2026, 3, 2, 9, 0)):
            records.create(Site, name="Main works")
        with clock.stopped_at(dt.datetime(2026, 5, 4, 9, 0)):
            later = records.create(Site, name="North depot")
            records.update(Site.get(Site.name == "Main works"), name="Main works (Leeds)")

        with records_as_of(dt.datetime(2026, 4, 1)) as state:
            assert sorted(s.name for s in Site.select()) == ["Main works"]
            assert state.entries == 1
        with records_as_of(dt.datetime(2026, 6, 1)):
            assert sorted(s.name for s in Site.select()) == ["Main works (Leeds)",
                                                             "North depot"]
        # Back on the server afterwards, nothing of the copy left behind.
        assert Site.get_by_id(later.id).name == "North depot"
        assert Site.select().count() == 2

"""A search backend that takes its time, so a test can kill a worker in the middle of a job
(set COVERAGE_SEARCH_BACKEND to this class in the worker's environment)."""

import time

from annotations.search.postgres import PostgresSearchBackend
from annotations.search.sqlite import SQLiteSearchBackend

SECONDS = 4


def _slow(base):
    class Slow(base):
        def lexical(self, terms, **kwargs):
            time.sleep(SECONDS)
            return super().lexical(terms, **kwargs)

    return Slow


class SlowSearchBackend:
    def __new__(cls):
        from django.db import connection

        base = PostgresSearchBackend if connection.vendor == "postgresql" else SQLiteSearchBackend
        return _slow(base)()

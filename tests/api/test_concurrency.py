"""Two editors saving the same claim at the same moment: one wins, the other gets 409, and
no write is lost."""

import threading

import pytest
from django.db import connections

from annotations.models import Claim
from tests.api.conftest import client_for
from tests.factories import ClaimFactory, editor

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_updates_one_wins_one_gets_409():
    claim = ClaimFactory(summary="Original")
    clients = [client_for(editor()), client_for(editor())]
    start_together = threading.Barrier(2)
    results = {}

    def save(index):
        try:
            start_together.wait()
            response = clients[index].patch(
                f"/api/v1/claims/{claim.id}/",
                {"version": 1, "summary": f"Edit {index}"},
                format="json",
            )
            results[index] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    codes = sorted(code for code, _ in results.values())
    assert codes == [200, 409], results
    winner = next(i for i, (code, _) in results.items() if code == 200)
    loser_body = next(body for code, body in results.values() if code == 409)
    claim.refresh_from_db()
    assert claim.summary == f"Edit {winner}" and claim.version == 2
    assert loser_body["current"]["summary"] == f"Edit {winner}"
    assert Claim.history.filter(id=claim.id).count() == 2

"""Licensing versions move on when a write commits: until then only the writing transaction
reads under versions of its own, and a rolled-back write leaves no trace."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction

from licensing.cache import licensing_version
from licensing.models import Approval, Licence
from tests.factories import ApprovalFactory, LicenceFactory


def version_elsewhere(*tables) -> str:
    """The version another request reads: another thread has its own database connection."""

    def read() -> str:
        try:
            return licensing_version(*tables)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


@pytest.mark.django_db(transaction=True)
def test_other_requests_see_a_write_move_the_version_on_once_at_its_commit():
    LicenceFactory()  # committed: the versions exist
    before = version_elsewhere(Approval)

    with transaction.atomic():
        ApprovalFactory()
        during_elsewhere, during_here = version_elsewhere(Approval), licensing_version(Approval)

    assert during_elsewhere == before
    assert during_here != before
    assert int(version_elsewhere(Approval)) == int(before) + 1


@pytest.mark.django_db
def test_a_write_moves_only_the_transactions_own_version_of_its_table():
    licence = LicenceFactory()
    licences_before = licensing_version(Licence)

    ApprovalFactory(licence=licence, exporter=licence.exporter)

    assert licensing_version(Licence) == licences_before


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_the_version_the_transaction_reads_as_it_was():
    before = licensing_version(Approval)

    with pytest.raises(RuntimeError), transaction.atomic():
        ApprovalFactory()
        during = licensing_version(Approval)
        raise RuntimeError("rolled back")

    assert licensing_version(Approval) == before
    ApprovalFactory()
    assert licensing_version(Approval) not in (before, during)

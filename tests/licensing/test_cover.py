"""The cover rules: an automaker's status on a date from the claims made by then, newest per
scope, resting on the licences that could carry them (README, "Cover")."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from licensing import services
from licensing.models import Approval, Automaker, Licence, LicenceParty
from licensing.selectors import CoverStatus, automaker_status, automakers_with_status, status_row
from licensing.services import licence_transition
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ExporterFactory,
    LicenceFactory,
    SupplyLinkFactory,
)

pytestmark = pytest.mark.django_db

GRADE = Approval.EvidenceGrade
STATUS = Approval.Status


def on(day: date, automaker: Automaker):
    """The automaker's row in the status list of that day (the rule every page reads)."""
    return status_row(automakers_with_status(on=day).get(pk=automaker.pk))


@pytest.fixture
def ford(reference_data) -> Automaker:
    return Automaker.objects.get(name="Ford Motor Co.")


# The reference data: Ford's "some of its suppliers" of 10 December 2025, naming no licence, rests
# on the three general licences in force that day, which end on 1 December 2026.


def test_ford_has_no_information_before_it_said_anything(ford):
    row = on(date(2025, 12, 5), ford)

    assert row.status == CoverStatus.NO_INFORMATION
    assert row.cover_until is None


def test_ford_is_partially_covered_until_the_general_licences_end(ford):
    row = on(date(2026, 6, 1), ford)

    assert row.status == CoverStatus.PARTIALLY_COVERED
    assert row.cover_until == date(2026, 12, 1)


def test_ford_is_expiring_not_covered_in_the_last_month_of_the_general_licences(ford):
    row = on(date(2026, 11, 20), ford)

    assert row.status == CoverStatus.EXPIRING
    assert row.cover_until == date(2026, 12, 1)


def test_ford_has_no_cover_the_day_after_the_general_licences_end(ford):
    row = on(date(2026, 12, 2), ford)

    assert row.status == CoverStatus.EXPIRED
    assert row.cover_until is None


def test_the_automaker_page_lists_the_candidate_licences_of_a_claim_naming_none(ford):
    status = automaker_status(automaker=ford, on=date(2026, 6, 1))

    [claim] = status.basis
    assert claim.licence is None
    assert claim.cover_until == date(2026, 12, 1)


def test_the_german_automakers_are_excluded_from_the_first_round(reference_data):
    german = Automaker.objects.filter(country="DEU")

    rows = [status_row(automaker) for automaker in automakers_with_status(on=date(2026, 1, 5))]

    assert {row.status for row in rows if row.automaker in german} == {CoverStatus.EXCLUDED}


# Claims are dated evidence


def test_a_claim_counts_only_from_the_day_it_was_made():
    licence = LicenceFactory()
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence, claimed_on=date(2026, 3, 1))

    assert on(date(2026, 2, 28), automaker).status == CoverStatus.NO_INFORMATION
    assert on(date(2026, 3, 1), automaker).status == CoverStatus.COVERED


def test_a_newer_mofcom_refusal_replaces_an_older_company_statement_from_its_date():
    licence = LicenceFactory()
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence, claimed_on=date(2025, 12, 10))
    ApprovalFactory(
        automaker=automaker,
        licence=licence,
        status=STATUS.REFUSED,
        evidence_grade=GRADE.MOFCOM_NOTICE,
        claimed_on=date(2026, 2, 1),
    )

    assert on(date(2026, 1, 31), automaker).status == CoverStatus.COVERED
    assert on(date(2026, 2, 1), automaker).status == CoverStatus.EXCLUDED


def test_a_newer_weak_claim_still_replaces_an_older_strong_one_of_the_same_scope():
    LicenceFactory()  # in force on the claim's date
    automaker = AutomakerFactory()
    ApprovalFactory(
        automaker=automaker,
        status=STATUS.EXCLUDED,
        evidence_grade=GRADE.MOFCOM_NOTICE,
        claimed_on=date(2025, 12, 10),
    )
    ApprovalFactory(
        automaker=automaker, evidence_grade=GRADE.NEWS_REPORT, claimed_on=date(2026, 1, 10)
    )

    assert on(date(2026, 1, 10), automaker).status == CoverStatus.COVERED


def test_on_the_same_day_the_stronger_evidence_wins_whichever_was_recorded_first():
    automaker = AutomakerFactory()
    ApprovalFactory(
        automaker=automaker,
        status=STATUS.REFUSED,
        evidence_grade=GRADE.MOFCOM_NOTICE,
        claimed_on=date(2026, 1, 10),
    )
    ApprovalFactory(
        automaker=automaker, evidence_grade=GRADE.NEWS_REPORT, claimed_on=date(2026, 1, 10)
    )

    assert on(date(2026, 1, 10), automaker).status == CoverStatus.EXCLUDED


def test_a_withdrawal_leaves_its_scope_saying_nothing():
    LicenceFactory()
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, claimed_on=date(2025, 12, 10))
    ApprovalFactory(automaker=automaker, status=STATUS.WITHDRAWN, claimed_on=date(2026, 1, 10))

    assert on(date(2026, 1, 9), automaker).status == CoverStatus.COVERED
    assert on(date(2026, 1, 10), automaker).status == CoverStatus.NO_INFORMATION


def test_claims_of_different_scopes_do_not_replace_each_other_and_disagreeing_is_partial():
    covered_through, refused_through = ExporterFactory(), ExporterFactory()
    licence = LicenceFactory(exporter=covered_through)
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, exporter=covered_through, licence=licence)
    ApprovalFactory(
        automaker=automaker,
        exporter=refused_through,
        status=STATUS.REFUSED,
        claimed_on=date(2026, 2, 1),
    )

    row = on(date(2026, 3, 1), automaker)

    assert row.status == CoverStatus.PARTIALLY_COVERED
    assert row.cover_until == date(2026, 12, 1)


def test_two_covering_scopes_are_covered_until_the_first_of_them_ends():
    automaker = AutomakerFactory()
    early = LicenceFactory(valid_until=date(2026, 6, 30))
    late = LicenceFactory()
    ApprovalFactory(automaker=automaker, exporter=early.exporter, licence=early)
    ApprovalFactory(automaker=automaker, exporter=late.exporter, licence=late)

    assert on(date(2026, 3, 1), automaker).cover_until == date(2026, 6, 30)
    # Once the first ends, the other path still covers: partially.
    july = on(date(2026, 7, 1), automaker)
    assert july.status == CoverStatus.PARTIALLY_COVERED
    assert july.cover_until == date(2026, 12, 1)


def test_a_claim_for_some_of_the_supply_is_partial_cover():
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=LicenceFactory(), extent=Approval.Extent.SOME)

    assert on(date(2026, 3, 1), automaker).status == CoverStatus.PARTIALLY_COVERED


@override_settings(CLAIM_HORIZON_DAYS=180)
def test_a_claim_not_made_again_within_the_horizon_is_unconfirmed():
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=LicenceFactory(), claimed_on=date(2025, 12, 10))

    assert on(date(2026, 6, 8), automaker).status == CoverStatus.COVERED
    assert on(date(2026, 6, 9), automaker).status == CoverStatus.UNCONFIRMED
    ApprovalFactory(automaker=automaker, licence=LicenceFactory(), claimed_on=date(2026, 6, 1))
    assert on(date(2026, 6, 9), automaker).status == CoverStatus.COVERED


# Candidate licences of a claim that names none


def test_a_claim_naming_an_exporter_rests_on_that_exporters_licences_of_the_kind():
    exporter = ExporterFactory()
    LicenceFactory(exporter=exporter, valid_until=date(2026, 8, 31))
    LicenceFactory(exporter=exporter, kind=Licence.Kind.INDIVIDUAL, valid_until=date(2027, 3, 1))
    LicenceFactory(valid_until=date(2027, 6, 30))  # another exporter's
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, exporter=exporter, licence_kind=Licence.Kind.GENERAL)

    assert on(date(2026, 3, 1), automaker).cover_until == date(2026, 8, 31)
    assert on(date(2026, 9, 1), automaker).status == CoverStatus.EXPIRED


def test_a_claim_naming_no_exporter_rests_on_the_licences_in_force_on_its_date():
    LicenceFactory(valid_from=date(2025, 12, 2), valid_until=date(2026, 12, 1))
    # Issued after the claim: not what the claim was about.
    LicenceFactory(valid_from=date(2026, 1, 1), valid_until=date(2027, 12, 31))
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence_kind=Licence.Kind.GENERAL)

    assert on(date(2026, 3, 1), automaker).cover_until == date(2026, 12, 1)


def test_an_approval_awaiting_its_exporters_licence_is_pending():
    exporter = ExporterFactory()
    LicenceFactory(
        exporter=exporter, status=Licence.Status.APPLIED, valid_from=None, valid_until=None
    )
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, exporter=exporter, licence_kind=Licence.Kind.GENERAL)

    assert on(date(2026, 3, 1), automaker).status == CoverStatus.PENDING


# Licences as of the date: dated changes and renewals


def test_a_licence_revoked_from_a_date_covers_before_it_and_not_from_it():
    licence = LicenceFactory()
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence, claimed_on=date(2025, 12, 10))

    licence_transition(
        licence=licence,
        to_status="revoked",
        effective_on=date(2026, 5, 1),
        reason="MOFCOM revoked it.",
        on=date(2026, 4, 20),
    )

    licence.refresh_from_db()
    assert licence.status == Licence.Status.ISSUED  # recorded ahead of its day
    assert on(date(2026, 4, 30), automaker).status == CoverStatus.COVERED
    assert on(date(2026, 5, 1), automaker).status == CoverStatus.EXPIRED
    assert licence.status_on(date(2026, 4, 30)) == Licence.Status.ISSUED
    assert licence.status_on(date(2026, 5, 1)) == Licence.Status.REVOKED


def test_a_suspension_then_reinstatement_leaves_a_gap_in_cover():
    licence = LicenceFactory()
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence, claimed_on=date(2025, 12, 10))
    for status, effective_on in [("suspended", date(2026, 3, 1)), ("reinstated", date(2026, 4, 1))]:
        licence_transition(
            licence=licence,
            to_status=services.TRANSITION_STATUSES[status],
            effective_on=effective_on,
            reason=status,
            on=date(2026, 4, 2),
        )

    statuses = [on(day, automaker).status for day in (date(2026, 2, 28), date(2026, 3, 15))]
    assert statuses == [CoverStatus.COVERED, CoverStatus.EXPIRED]
    assert on(date(2026, 4, 1), automaker).status == CoverStatus.COVERED


def test_changes_are_recorded_in_date_order():
    licence = LicenceFactory()
    licence_transition(licence=licence, to_status="suspended", effective_on=date(2026, 5, 1))

    with pytest.raises(ValidationError) as refused:
        licence_transition(licence=licence, to_status="revoked", effective_on=date(2026, 4, 1))

    assert "already changes to suspended on 2026-05-01" in str(refused.value)
    assert licence.transitions.count() == 1


def test_ford_is_covered_again_to_the_end_of_a_recorded_renewal(ford):
    assert on(date(2026, 12, 2), ford).status == CoverStatus.EXPIRED
    jl_mag = Licence.objects.get(exporter__name__startswith="JL Mag")
    LicenceFactory(
        exporter=jl_mag.exporter,
        renews=jl_mag,
        valid_from=date(2026, 12, 2),
        valid_until=date(2027, 12, 1),
    )

    row = on(date(2026, 12, 2), ford)

    # Ford's claim said "some of its suppliers": partial cover, carried on by the renewal.
    assert row.status == CoverStatus.PARTIALLY_COVERED
    assert row.cover_until == date(2027, 12, 1)


def test_the_daily_run_expires_issued_licences_the_day_after_they_end_and_applies_due_changes():
    ended = LicenceFactory(valid_until=date(2026, 11, 30))
    revoked = LicenceFactory()
    licence_transition(
        licence=revoked, to_status="revoked", effective_on=date(2026, 12, 1), on=date(2026, 11, 1)
    )
    running = LicenceFactory(valid_until=date(2026, 12, 31))

    assert services.licences_apply_due(on=date(2026, 12, 1)) == 2

    for licence in (ended, revoked, running):
        licence.refresh_from_db()
    assert (ended.status, revoked.status, running.status) == ("expired", "revoked", "issued")
    expiry = ended.transitions.get()
    assert (expiry.from_status, expiry.effective_on) == ("issued", date(2026, 12, 1))
    assert services.licences_apply_due(on=date(2026, 12, 1)) == 0


# Through the supply chain


def test_a_claim_naming_no_exporter_rests_on_the_licences_of_the_exporters_that_supply_it():
    supplier, other = ExporterFactory(), ExporterFactory()
    LicenceFactory(exporter=supplier, valid_until=date(2026, 9, 30))
    LicenceFactory(exporter=other, valid_until=date(2027, 6, 30))  # in force, not its supplier
    automaker = AutomakerFactory()
    tier1 = SupplyLinkFactory(customer_automaker=automaker).supplier_importer
    SupplyLinkFactory(
        supplier_exporter=supplier,
        supplier_importer=None,
        customer_importer=tier1,
        customer_automaker=None,
        valid_until=date(2026, 8, 31),
    )
    ApprovalFactory(automaker=automaker, licence_kind=Licence.Kind.GENERAL)

    assert on(date(2026, 3, 1), automaker).cover_until == date(2026, 9, 30)
    # Once the exporter no longer supplies it, the claim rests on what was in force on its date.
    assert on(date(2026, 9, 1), automaker).cover_until == date(2027, 6, 30)


def test_a_renewal_carries_a_claim_on_only_for_the_parties_it_names():
    licence = LicenceFactory(valid_until=date(2026, 6, 30))
    automaker, other = AutomakerFactory(), AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence)
    ApprovalFactory(automaker=other, licence=licence)
    renewal = LicenceFactory(
        exporter=licence.exporter,
        renews=licence,
        valid_from=date(2026, 7, 1),
        valid_until=date(2027, 6, 30),
    )
    LicenceParty.objects.create(licence=renewal, role="end_user", automaker=other)

    assert on(date(2026, 7, 1), automaker).status == CoverStatus.EXPIRED
    assert on(date(2026, 7, 1), other).cover_until == date(2027, 6, 30)

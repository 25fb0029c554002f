from __future__ import annotations

from datetime import date

import pytest
import time_machine

from licensing.models import Approval, EntityListEntry, Licence, ScreeningMatch
from licensing.selectors import (
    RANK,
    CoverStatus,
    automaker_status,
    automakers_with_status,
    licences_expiring,
    measures_in_force,
    status_row,
)
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ControlMeasureFactory,
    ElementFactory,
    HsCodeFactory,
    LicenceFactory,
)

pytestmark = pytest.mark.django_db

GRADE = Approval.EvidenceGrade


def automaker_licence_status(*, on: date | None = None, status: str = ""):
    """Every automaker's status row from the SQL list, optionally one status only."""
    automakers = automakers_with_status(on=on)
    if status:
        automakers = automakers.filter(status_rank=RANK[status])
    return [status_row(automaker) for automaker in automakers]


def status_on(automaker, day: date):
    with time_machine.travel(day):
        return automaker_status(automaker=automaker)


def test_it_derives_covered_expiring_and_expired_as_the_date_passes_valid_until():
    licence = LicenceFactory(valid_from=date(2025, 12, 2), valid_until=date(2026, 12, 1))
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, exporter=licence.exporter, licence=licence)

    covered = status_on(automaker, date(2026, 6, 1))
    assert covered.status == CoverStatus.COVERED
    assert covered.cover_until == date(2026, 12, 1)

    assert status_on(automaker, date(2026, 10, 31)).status == CoverStatus.COVERED
    assert status_on(automaker, date(2026, 11, 1)).status == CoverStatus.EXPIRING
    assert status_on(automaker, date(2026, 12, 1)).status == CoverStatus.EXPIRING
    assert status_on(automaker, date(2026, 12, 2)).status == CoverStatus.EXPIRED


def test_it_derives_pending_excluded_and_no_information():
    pending, excluded, refused, silent = (AutomakerFactory() for _ in range(4))
    ApprovalFactory(automaker=pending, status=Approval.Status.PENDING)
    ApprovalFactory(automaker=excluded, status=Approval.Status.EXCLUDED)
    ApprovalFactory(automaker=refused, status=Approval.Status.REFUSED)

    with time_machine.travel(date(2026, 1, 15)):
        statuses = {row.automaker: row.status for row in automaker_licence_status()}

    assert statuses[pending] == CoverStatus.PENDING
    assert statuses[excluded] == CoverStatus.EXCLUDED
    assert statuses[refused] == CoverStatus.EXCLUDED
    assert statuses[silent] == CoverStatus.NO_INFORMATION


def test_it_ignores_withdrawn_claims():
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, status=Approval.Status.WITHDRAWN)

    row = status_on(automaker, date(2026, 1, 15))

    assert row.status == CoverStatus.NO_INFORMATION
    assert row.approval_count == 1


def test_it_treats_an_approval_under_a_licence_still_in_review_as_pending():
    licence = LicenceFactory(status=Licence.Status.UNDER_REVIEW, valid_from=None, valid_until=None)
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence, exporter=licence.exporter)

    assert status_on(automaker, date(2026, 1, 15)).status == CoverStatus.PENDING


def test_it_treats_a_suspended_licence_as_no_longer_covering():
    licence = LicenceFactory(status=Licence.Status.SUSPENDED)
    automaker = AutomakerFactory()
    ApprovalFactory(automaker=automaker, licence=licence, exporter=licence.exporter)

    assert status_on(automaker, date(2026, 1, 15)).status == CoverStatus.EXPIRED


def test_paths_that_disagree_are_partial_cover_until_the_last_ends_with_the_strongest_evidence():
    automaker = AutomakerFactory()
    early = LicenceFactory(valid_until=date(2026, 9, 30))
    late = LicenceFactory(valid_until=date(2027, 3, 31))
    ApprovalFactory(automaker=automaker, status=Approval.Status.EXCLUDED)
    ApprovalFactory(
        automaker=automaker, licence=late, exporter=late.exporter, evidence_grade=GRADE.NEWS_REPORT
    )
    ApprovalFactory(
        automaker=automaker,
        licence=early,
        exporter=early.exporter,
        evidence_grade=GRADE.MOFCOM_NOTICE,
    )

    row = status_on(automaker, date(2026, 6, 1))

    assert row.status == CoverStatus.PARTIALLY_COVERED
    assert row.cover_until == date(2027, 3, 31)
    assert row.strongest_evidence == GRADE.MOFCOM_NOTICE
    assert row.approval_count == 3


def test_the_status_list_can_be_narrowed_to_one_status(reference_data):
    with time_machine.travel(date(2026, 11, 26)):
        excluded = automaker_licence_status(status=CoverStatus.EXCLUDED)

    assert sorted(row.automaker.name for row in excluded) == [
        "BMW AG",
        "Mercedes-Benz Group AG",
        "Volkswagen AG",
    ]
    assert {row.strongest_evidence for row in excluded} == {GRADE.GOVERNMENT_OFFICIAL}


def test_the_status_list_makes_a_fixed_number_of_queries(django_assert_num_queries):
    for _ in range(5):
        licence = LicenceFactory()
        ApprovalFactory(licence=licence, exporter=licence.exporter)

    with django_assert_num_queries(1):
        rows = automaker_licence_status(on=date(2026, 1, 1))
    assert len(rows) == 5


def test_the_status_list_counted_in_sql_agrees_with_each_automakers_own_status():
    """The list groups in the database; one automaker's page picks from its approvals. Every
    pair of claims over every kind of licence must give both the same answer."""
    LicenceStatus = Licence.Status
    licences = [
        None,
        LicenceFactory(status=LicenceStatus.APPLIED, valid_from=None, valid_until=None),
        LicenceFactory(status=LicenceStatus.UNDER_REVIEW, valid_from=None, valid_until=None),
        LicenceFactory(valid_until=date(2027, 6, 30)),  # covered
        LicenceFactory(valid_until=date(2026, 12, 1)),  # expiring
        LicenceFactory(valid_from=date(2027, 1, 1), valid_until=date(2027, 12, 31)),  # not yet
        LicenceFactory(valid_until=date(2026, 11, 1)),  # lapsed
        LicenceFactory(status=LicenceStatus.SUSPENDED),
        LicenceFactory(status=LicenceStatus.REVOKED),
    ]
    claims = [
        (status, licence, grade)
        for status in Approval.Status.values
        for licence, grade in zip(licences, GRADE.values * 2, strict=False)
    ]
    automakers = []
    for first, second in zip(claims, claims[7:] + claims[:7], strict=True):
        automaker = AutomakerFactory()
        for status, licence, grade in (first, second):
            ApprovalFactory(
                automaker=automaker,
                status=status,
                licence=licence,
                exporter=licence.exporter if licence else None,
                evidence_grade=grade,
            )
        automakers.append(automaker)
    # Confirmed on the watch list (a general licence cannot cover it) and on the control list.
    for list_ in (EntityListEntry.List.WATCH_LIST, EntityListEntry.List.CONTROL_LIST):
        listed = AutomakerFactory()
        ApprovalFactory(automaker=listed, licence=licences[3], exporter=licences[3].exporter)
        entry = EntityListEntry.objects.create(
            list=list_,
            announcement="MOFCOM Announcement No. 12 of 2026",
            listed_on=date(2026, 2, 24),
            name_en=listed.name,
            source_url="https://example.org/list",
            confidence="confirmed",
        )
        ScreeningMatch.objects.create(
            entry=entry,
            automaker=listed,
            screened_name=listed.name,
            matched_name=listed.name,
            score=100,
            status=ScreeningMatch.Status.CONFIRMED,
            reason="Named in the announcement.",
        )
        automakers.append(listed)
    AutomakerFactory()  # no claim at all

    on = date(2026, 11, 26)
    listed = {row.automaker.pk: row for row in automaker_licence_status(on=on)}

    assert len(listed) == len(automakers) + 1
    seen = set()
    for automaker in automakers:
        own = automaker_status(automaker=automaker, on=on)
        row = listed[automaker.pk]
        assert (row.status, row.cover_until, row.approval_count) == (
            own.status,
            own.cover_until,
            own.approval_count,
        ), automaker
        # The page lists the claims behind any status but no information.
        assert bool(own.basis) == (row.status != CoverStatus.NO_INFORMATION), automaker
        seen.add(row.status)
    # Every status but unconfirmed (these claims are all recent), two withdrawn included.
    assert seen == set(CoverStatus.values) - {CoverStatus.UNCONFIRMED}


def test_it_finds_licences_expiring_within_a_number_of_days():
    soon = LicenceFactory(valid_until=date(2026, 12, 1))
    LicenceFactory(valid_until=date(2027, 6, 1))
    LicenceFactory(valid_until=date(2026, 11, 1))  # already lapsed
    LicenceFactory(status=Licence.Status.REVOKED, valid_until=date(2026, 12, 1))

    assert list(licences_expiring(within_days=30, on=date(2026, 11, 26))) == [soon]


class TestMeasuresInForce:
    def test_it_honours_the_effective_date(self):
        measure = ControlMeasureFactory(
            announced_on=date(2025, 10, 9), effective_from=date(2025, 11, 8)
        )

        assert measure not in measures_in_force(on=date(2025, 11, 7))
        assert measure in measures_in_force(on=date(2025, 11, 8))

    def test_it_leaves_out_a_measure_during_its_suspension_and_brings_it_back_after(self):
        measure = ControlMeasureFactory(
            announced_on=date(2025, 10, 9),
            effective_from=date(2025, 10, 9),
            suspended_from=date(2025, 11, 7),
            suspended_until=date(2026, 11, 10),
        )

        assert measure in measures_in_force(on=date(2025, 11, 6))
        assert measure not in measures_in_force(on=date(2025, 11, 7))
        assert measure not in measures_in_force(on=date(2026, 11, 10))
        assert measure in measures_in_force(on=date(2026, 11, 11))

    def test_an_open_ended_suspension_keeps_a_measure_out(self):
        measure = ControlMeasureFactory(suspended_from=date(2025, 5, 1))

        assert measure not in measures_in_force(on=date(2030, 1, 1))

    def test_it_filters_by_element_and_hs_code_in_any_notation(self):
        dysprosium = ElementFactory()
        magnets = HsCodeFactory()
        named = ControlMeasureFactory()
        named.elements.add(dysprosium)
        named.hs_codes.add(magnets)
        ControlMeasureFactory()

        on = date(2025, 6, 1)
        assert list(measures_in_force(on=on, element="dy")) == [named]
        assert list(measures_in_force(on=on, hs_code="850511")) == [named]
        assert list(measures_in_force(on=on, hs_code="8505.11", element="Dy")) == [named]
        assert list(measures_in_force(on=on, hs_code="2846.90")) == []

    def test_a_code_matches_the_measures_of_the_codes_above_and_below_it(self):
        magnets = HsCodeFactory(code="8505.11")
        on_magnets = ControlMeasureFactory()
        on_magnets.hs_codes.add(magnets)
        on_a_tariff_line = ControlMeasureFactory()
        on_a_tariff_line.hs_codes.add(HsCodeFactory(code="2805.301910"))

        on = date(2025, 6, 1)

        # China's 10-digit code falls under HS 8505.11; the chapter heading takes it in.
        for code in ("8505111000", "8505.11.10.00", "8505 11", "8505"):
            assert list(measures_in_force(on=on, hs_code=code)) == [on_magnets], code
        assert list(measures_in_force(on=on, hs_code="2805301910")) == [on_a_tariff_line]
        assert list(measures_in_force(on=on, hs_code="280530")) == [on_a_tariff_line]
        assert list(measures_in_force(on=on, hs_code="2805301990")) == []
        assert list(measures_in_force(on=on, hs_code="8")) == []

    def test_on_the_reference_data_no_57_is_suspended_in_2026_and_back_after_10_november(
        self, reference_data
    ):
        def references(day):
            return {m.reference for m in measures_in_force(on=day, element="Ho")}

        assert references(date(2026, 3, 1)) == set()
        assert references(date(2026, 11, 26)) == {"MOFCOM Announcement No. 57 of 2025"}


def test_a_suspension_stops_being_in_force_when_it_ends(reference_data):
    def in_force(day):
        return {m.reference for m in measures_in_force(on=day)}

    no70 = "MOFCOM/GACC Announcement No. 70 of 2025"
    assert no70 in in_force(date(2026, 11, 10))
    assert no70 not in in_force(date(2026, 11, 11))
    assert "MOFCOM/GACC Announcement No. 18 of 2025" in in_force(date(2026, 11, 11))

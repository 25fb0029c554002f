from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from licensing.models import Approval, Licence
from licensing.services import (
    approval_record,
    approval_update,
    licence_create,
    licence_transition,
    licence_update,
)
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ElementFactory,
    ExporterFactory,
    ImporterFactory,
    LicenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Licence.Status
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def approval_kwargs(**overrides):
    return {
        "status": Approval.Status.APPROVED,
        "evidence_grade": Approval.EvidenceGrade.COMPANY_STATEMENT,
        "claimed_on": date(2025, 12, 10),
        "statement": "Our supplier holds a general licence.",
        "source_url": "https://example.org/claim",
        **overrides,
    }


class TestLicenceCreate:
    def test_it_stores_a_licence_with_its_elements_and_one_history_record(self):
        user = UserFactory()
        exporter = ExporterFactory()
        dysprosium = ElementFactory()

        licence = licence_create(
            exporter=exporter,
            kind=Licence.Kind.GENERAL,
            status=Status.ISSUED,
            valid_from=date(2025, 12, 2),
            valid_until=date(2026, 12, 1),
            elements=[dysprosium],
            user=user,
        )

        stored = Licence.objects.get(pk=licence.pk)
        assert list(stored.elements.all()) == [dysprosium]
        history = list(stored.history.all())
        assert len(history) == 1
        assert history[0].history_type == "+"
        assert history[0].history_user == user
        assert [e.element for e in history[0].elements.all()] == [dysprosium]

    def test_it_refuses_valid_until_before_valid_from_and_stores_nothing(self):
        with pytest.raises(ValidationError) as error:
            licence_create(
                exporter=ExporterFactory(),
                kind=Licence.Kind.INDIVIDUAL,
                valid_from=date(2026, 1, 10),
                valid_until=date(2026, 1, 1),
            )

        assert error.value.message_dict == {
            "valid_until": ["“Valid until” cannot be before “valid from”."]
        }
        assert Licence.objects.count() == 0

    def test_it_refuses_an_issued_licence_without_validity_dates(self):
        with pytest.raises(ValidationError, match="needs “valid from” and “valid until”"):
            licence_create(exporter=ExporterFactory(), kind="general", status=Status.ISSUED)
        assert Licence.objects.count() == 0

    def test_it_refuses_a_second_licence_number_for_the_same_exporter(self):
        first = LicenceFactory(number="RE-2025-001")

        with pytest.raises(ValidationError) as error:
            licence_create(exporter=first.exporter, kind="individual", number="RE-2025-001")

        assert error.value.message_dict == {
            "number": ["This exporter already holds a licence with this number."]
        }
        assert Licence.objects.count() == 1

    def test_the_same_number_may_belong_to_two_exporters_and_blank_numbers_repeat(self):
        LicenceFactory(number="RE-1")
        licence_create(exporter=ExporterFactory(), kind="individual", number="RE-1")
        exporter = ExporterFactory()
        licence_create(exporter=exporter, kind="general")
        licence_create(exporter=exporter, kind="general")

        assert Licence.objects.count() == 4


class TestLicenceLifecycle:
    def test_it_follows_the_lifecycle_from_application_to_issue(self):
        licence = licence_create(exporter=ExporterFactory(), kind="individual")

        licence_transition(licence=licence, to_status=Status.UNDER_REVIEW, on=date(2025, 12, 1))
        licence_transition(
            licence=licence,
            to_status=Status.ISSUED,
            valid_from=date(2026, 1, 1),
            valid_until=date(2026, 12, 31),
            on=date(2026, 1, 1),
        )

        licence.refresh_from_db()
        assert licence.status == Status.ISSUED
        assert licence.history.count() == 3
        changes = [(c.from_status, c.status, c.effective_on) for c in licence.transitions.all()]
        assert changes == [
            (Status.APPLIED, Status.UNDER_REVIEW, date(2025, 12, 1)),
            (Status.UNDER_REVIEW, Status.ISSUED, date(2026, 1, 1)),
        ]

    def test_it_refuses_an_illegal_transition_naming_the_status_and_stores_nothing(self):
        licence = LicenceFactory(status=Status.REVOKED)
        history_before = licence.history.count()

        with pytest.raises(ValidationError) as error:
            licence_transition(licence=licence, to_status=Status.ISSUED)

        assert error.value.message_dict["status"] == [
            "A licence cannot go from revoked to issued. Allowed from here: none (final)."
        ]
        licence.refresh_from_db()
        assert licence.status == Status.REVOKED
        assert licence.history.count() == history_before

    def test_an_expired_licence_is_not_issued_again_without_a_new_validity_period(self):
        licence = LicenceFactory(status=Status.EXPIRED, valid_until=date(2026, 12, 1))

        with pytest.raises(ValidationError) as error:
            licence_transition(licence=licence, to_status=Status.ISSUED, on=date(2026, 12, 5))

        assert "new validity period" in error.value.message_dict["status"][0]
        licence.refresh_from_db()
        assert licence.status == Status.EXPIRED

    def test_an_expired_licence_is_renewed_with_a_new_validity_period(self):
        licence = LicenceFactory(status=Status.EXPIRED, valid_until=date(2026, 12, 1))

        licence_transition(
            licence=licence,
            to_status=Status.ISSUED,
            valid_from=date(2026, 12, 2),
            valid_until=date(2027, 12, 1),
            on=date(2026, 12, 5),
        )

        licence.refresh_from_db()
        assert (licence.status, licence.valid_until) == (Status.ISSUED, date(2027, 12, 1))

    def test_a_licence_still_valid_cannot_be_marked_expired(self):
        licence = LicenceFactory(valid_until=date(2026, 12, 1))

        with pytest.raises(ValidationError, match="has not expired"):
            licence_transition(licence=licence, to_status=Status.EXPIRED, on=date(2026, 11, 26))

    def test_an_update_records_who_changed_what(self):
        user = UserFactory()
        licence = licence_create(exporter=ExporterFactory(), kind="general", notes="first")

        licence_update(licence=licence, data={"notes": "second"}, user=user)

        latest = licence.history.first()
        delta = latest.diff_against(latest.prev_record)
        assert latest.history_user == user
        assert [(c.field, c.old, c.new) for c in delta.changes] == [("notes", "first", "second")]

    def test_an_update_with_a_bad_field_leaves_the_row_as_it_was(self):
        licence = LicenceFactory(valid_from=date(2025, 12, 2), valid_until=date(2026, 12, 1))

        with pytest.raises(ValidationError):
            licence_update(licence=licence, data={"valid_until": date(2025, 1, 1), "notes": "x"})

        stored = Licence.objects.get(pk=licence.pk)
        assert (stored.valid_until, stored.notes) == (date(2026, 12, 1), "")


class TestApprovalRecord:
    def test_it_takes_the_exporter_and_kind_from_the_licence(self):
        licence = LicenceFactory()
        user = UserFactory()

        approval = approval_record(
            automaker=AutomakerFactory(), licence=licence, user=user, **approval_kwargs()
        )

        approval.refresh_from_db()
        assert approval.exporter == licence.exporter
        assert approval.licence_kind == Licence.Kind.GENERAL
        assert approval.recorded_by == user
        assert approval.history.first().history_user == user

    def test_it_refuses_a_licence_held_by_another_exporter(self):
        licence = LicenceFactory()
        other = ExporterFactory()

        with pytest.raises(ValidationError) as error:
            approval_record(
                automaker=AutomakerFactory(), exporter=other, licence=licence, **approval_kwargs()
            )

        assert "licence" in error.value.message_dict
        assert f"held by {licence.exporter}" in error.value.message_dict["licence"][0]
        assert Approval.objects.count() == 0

    def test_it_refuses_an_importer_that_does_not_supply_the_automaker(self):
        importer = ImporterFactory()

        with pytest.raises(ValidationError) as error:
            approval_record(automaker=AutomakerFactory(), importer=importer, **approval_kwargs())

        assert "importer" in error.value.message_dict
        assert Approval.objects.count() == 0

    def test_it_needs_a_source_url_or_an_evidence_file(self):
        with pytest.raises(ValidationError) as error:
            approval_record(automaker=AutomakerFactory(), **approval_kwargs(source_url=""))
        assert error.value.message_dict == {
            "source_url": ["Give a source URL or attach an evidence file."]
        }
        assert Approval.objects.count() == 0

    def test_it_stores_an_evidence_file_under_a_random_name_keeping_the_original(self):
        upload = SimpleUploadedFile("letter from JL Mag.pdf", PDF, content_type="application/pdf")

        approval = approval_record(
            automaker=AutomakerFactory(), evidence_file=upload, **approval_kwargs(source_url="")
        )

        assert approval.evidence_file_name == "letter from JL Mag.pdf"
        assert "JL" not in approval.evidence_file.name
        assert approval.evidence_file.name.startswith("evidence/")
        with approval.evidence_file.open("rb") as stored:
            assert stored.read() == PDF

    @override_settings(EVIDENCE_MAX_BYTES=1024)
    def test_it_refuses_an_evidence_file_over_the_limit(self):
        upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)

        with pytest.raises(ValidationError) as error:
            approval_record(automaker=AutomakerFactory(), evidence_file=upload, **approval_kwargs())

        assert "the limit is 1.0\xa0KB" in error.value.message_dict["evidence_file"][0]
        assert Approval.objects.count() == 0

    @pytest.mark.parametrize(
        "content", [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", b"PK\x03\x04\x14\x00\x00\x00"]
    )
    def test_it_refuses_an_evidence_file_that_is_not_pdf_image_or_text(self, content):
        upload = SimpleUploadedFile("innocent.pdf", content)

        with pytest.raises(ValidationError) as error:
            approval_record(automaker=AutomakerFactory(), evidence_file=upload, **approval_kwargs())

        assert "must be a PDF" in error.value.message_dict["evidence_file"][0]
        assert Approval.objects.count() == 0

    def test_it_accepts_plain_text_in_chinese(self):
        upload = SimpleUploadedFile("notice.txt", "商务部公告 稀土出口许可".encode())

        approval = approval_record(
            automaker=AutomakerFactory(), evidence_file=upload, **approval_kwargs()
        )

        assert approval.evidence_file_name == "notice.txt"


class TestApprovalUpdate:
    def test_it_keeps_who_changed_what_and_when(self):
        approval = ApprovalFactory(status=Approval.Status.PENDING)
        user = UserFactory(username="cora")

        approval_update(approval=approval, data={"status": Approval.Status.APPROVED}, user=user)

        latest = approval.history.first()
        delta = latest.diff_against(latest.prev_record)
        assert latest.history_user == user
        assert [(c.field, c.old, c.new) for c in delta.changes] == [
            ("status", "pending", "approved")
        ]

    def test_a_refused_update_leaves_the_row_as_it_was(self):
        approval = ApprovalFactory()
        history_before = approval.history.count()
        licence = LicenceFactory()
        other = ExporterFactory()

        with pytest.raises(ValidationError):
            approval_update(
                approval=approval,
                data={"exporter": other, "licence": licence, "statement": "changed"},
            )

        stored = Approval.objects.get(pk=approval.pk)
        assert (stored.licence, stored.exporter, stored.statement) == (
            None,
            None,
            "Our suppliers were approved.",
        )
        assert stored.history.count() == history_before


class TestDatabaseConstraints:
    """What must always hold is enforced by the database too, not only by the services."""

    def test_the_database_refuses_valid_until_before_valid_from(self):
        from django.db import IntegrityError, transaction

        licence = LicenceFactory()
        licence.valid_until = date(2020, 1, 1)
        with pytest.raises(IntegrityError), transaction.atomic():
            licence.save()

    def test_the_database_refuses_a_duplicate_licence_number_for_one_exporter(self):
        from django.db import IntegrityError, transaction

        first = LicenceFactory(number="RE-9")
        with pytest.raises(IntegrityError), transaction.atomic():
            LicenceFactory(exporter=first.exporter, number="RE-9")

    def test_the_database_refuses_an_approval_without_evidence(self):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            ApprovalFactory(source_url="")


UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6399/0",
    }
}


@override_settings(CACHES=UNREACHABLE_CACHE)
def test_a_licensing_write_succeeds_with_the_cache_down():
    approval_record(automaker=AutomakerFactory(), **approval_kwargs())

    assert Approval.objects.count() == 1

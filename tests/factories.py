from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from licensing.models import (
    Approval,
    Automaker,
    ControlMeasure,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
    SupplyLink,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class ElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Element
        django_get_or_create = ["symbol"]

    symbol = "Dy"
    name = "Dysprosium"
    atomic_number = 66
    group = Element.Group.HEAVY


class HsCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HsCode
        django_get_or_create = ["code"]

    code = "8505.11"
    description = "Permanent magnets of metal"


class ExporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exporter

    name = factory.Sequence(lambda n: f"Exporter {n} Co. Ltd.")
    province = "Jiangxi"


class AutomakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Automaker

    name = factory.Sequence(lambda n: f"Automaker {n}")
    country = "USA"


class ImporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Importer

    name = factory.Sequence(lambda n: f"Importer {n}")
    country = "DEU"
    kind = Importer.Kind.TIER1_SUPPLIER


class SupplyLinkFactory(factory.django.DjangoModelFactory):
    """An importer supplying an automaker, with no dates, unless told otherwise."""

    class Meta:
        model = SupplyLink

    supplier_importer = factory.SubFactory(ImporterFactory)
    customer_automaker = factory.SubFactory(AutomakerFactory)
    evidence = "A supplier's filing."


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    exporter = factory.SubFactory(ExporterFactory)
    kind = Licence.Kind.GENERAL
    status = Licence.Status.ISSUED
    issued_on = date(2025, 12, 2)
    valid_from = date(2025, 12, 2)
    valid_until = date(2026, 12, 1)
    source_url = "https://example.org/licence"


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    automaker = factory.SubFactory(AutomakerFactory)
    status = Approval.Status.APPROVED
    evidence_grade = Approval.EvidenceGrade.COMPANY_STATEMENT
    claimed_on = date(2025, 12, 10)
    statement = "Our suppliers were approved."
    source_url = "https://example.org/claim"


class ControlMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlMeasure

    reference = factory.Sequence(lambda n: f"Announcement No. {n}")
    authority = "MOFCOM"
    kind = ControlMeasure.Kind.CONTROL_IMPOSED
    announced_on = date(2025, 4, 4)
    effective_from = date(2025, 4, 4)
    title = "Export controls"
    source_url = "https://example.org/measure"

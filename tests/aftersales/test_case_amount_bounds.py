"""Amounts and quantities within the columns: refused by the form on the CLI and the desk alike, and a value
stored before the form checked it no longer breaks the pages, the admin or `case list`."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from opsdesk.aftersales.models import Case
from opsdesk.aftersales.services import case_open
from opsdesk.lib.errors import Refused
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import zto_order

pytestmark = pytest.mark.postgres

ORDER = "201122-123456789012345"


class CaseAmountBoundsTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = zto_order()

    def test_it_refuses_an_amount_beyond_the_columns_digits(self) -> None:
        with self.assertRaisesMessage(Refused, "金额"):
            case_open(type="lost_parcel", order_no=ORDER, amount="99999999999999999999", user=self.service)
        self.assertFalse(Case.objects.exists())

    def test_it_takes_the_largest_amount_the_column_holds(self) -> None:
        case = case_open(type="lost_parcel", order_no=ORDER, amount="9999999999.99", user=self.service)
        case.refresh_from_db()
        self.assertEqual(case.amount, Decimal("9999999999.99"))

    def test_it_refuses_a_quantity_overflow_and_exponents(self) -> None:
        for qty in ("99999999999999999999", "1e9", "-1"):
            with self.assertRaises(Refused, msg=qty):
                case_open(type="damaged", order_no=ORDER, amount="5", qty=qty, user=self.service)
        with self.assertRaisesMessage(Refused, "金额"):
            case_open(type="lost_parcel", order_no=ORDER, amount="1e999999", user=self.service)

    def test_the_desk_answers_the_refusal_not_a_500(self) -> None:
        self.client.force_login(self.service)
        url = f"/orders/pdd/{ORDER}/cases/"
        response = self.client.post(url, {"type": "lost_parcel", "amount": "99999999999999999999"},
                                    headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "金额", status_code=409)

    def test_a_huge_amount_already_stored_still_shows(self) -> None:
        if connection.vendor == "postgresql":
            pytest.skip("PostgreSQL refuses the value itself (numeric(12,2)): only SQLite could have stored it")
        case = case_open(type="lost_parcel", order_no=ORDER, amount="5", user=self.service)
        Case.objects.filter(pk=case.pk).update(amount=Decimal("99999999999999999999"))
        self.client.force_login(self.admin)
        for url in ("/cases/", f"/cases/{case.pk}/", f"/orders/pdd/{ORDER}/", "/admin/aftersales/case/",
                    f"/admin/aftersales/case/{case.pk}/change/"):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        out = StringIO()
        call_command("case", "list", "--json", stdout=out)
        self.assertIn("100000000000000000000", out.getvalue())

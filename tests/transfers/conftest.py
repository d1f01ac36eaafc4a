"""Fixtures shared by the money tests: a case in 实施 with its contract registered and a first receipt."""

from tests.transfers.test_money_services import contracted  # noqa: F401

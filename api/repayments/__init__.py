"""Repayments: a household asks for a betalingsregeling for a terugvordering in its ledger (issue #14)."""

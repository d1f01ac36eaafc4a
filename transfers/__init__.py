"""The domain of achievement transfer: institutions and roles, achievements and inventors, transfer
cases with their legal stage machine, attachments, audit events and rule packs.

Writes go through ``transfers.services``, permission-scoped reads through ``transfers.selectors``.
This package imports neither ``workflows`` nor ``notifications``; they subscribe to its domain
events (``transfers.events``).
"""

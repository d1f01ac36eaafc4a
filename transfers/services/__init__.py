"""Every write of the domain: one function per action, keyword-only, the acting user explicit.

Each opens its transaction, locks the case row, checks the guard, fires the FSM transition, writes
the audit event and emits the domain event in that transaction (see ``transfers.events``).
"""

"""Routing of the human work: the viewflow ``TransferFlow``, its task views and the reviewer inbox.

The flow decides who works next; ``transfers`` (the FSM) decides what is legal. A task view is a
form plus one call to a ``transfers.services`` function; the flow then routes by the case's new
stage. Moves that start outside a task reach the flow through ``workflows.handlers``.
"""

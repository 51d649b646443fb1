"""Tickets: the list, intake, follow-up calls, settings and, in tabs of their own, single tickets."""

"""Signals of the pairing app."""

from django.dispatch import Signal

# Sent inside the transaction of a write that changes which organizations a pair ties (its partners, or its
# programme's owner), with ``pair_ids``. The activities linked to those pairs refresh their reach
# (``activities.reach``).
pair_sides_changed = Signal()

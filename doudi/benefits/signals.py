"""Signals of doudi.benefits to the procedures that started a benefit (no import of them here).

``stopped_for_fraud`` is sent by ``services.recover_fraud`` inside its transaction, after the
benefit is stopped and the recovery recorded, with ``benefit``, ``recovery``, ``user`` and ``on``.
A procedure whose decision started the benefit (``benefit.decision_app``) ends its own case
(doudi.support: the 特困 case, NAT-TK-END, NAT-DB-FRAUD). A receiver's error undoes the whole
recovery: it must raise a ValueError naming the field (a BenefitError-like message) to be shown.

``stage_check`` is sent by ``services.stage_hold`` before a stage of a one-off benefit paid in
stages is paid, with ``benefit``, ``stage`` (1, 2, …) and ``by`` ("hand": recorded one by one, the
finance worklist's tick; "roll": the monthly roll of doudi.payments). A receiver that holds the
stage back raises a ValueError with the reason (doudi.relief: a later stage of urgent help waits
for the paperwork, NAT-TA-FIRST; doudi.payments: a stage already on a roll is not paid by hand).

``stage_paid`` is sent by ``services.record_payment`` inside its transaction after the payment row,
with ``benefit``, ``stage``, ``amount_fen``, ``paid_on``, ``source``, ``user`` and ``on``: the
procedure that planned the stages marks its own stage paid when someone else paid it (a roll).
"""

from __future__ import annotations

from django.dispatch import Signal

stopped_for_fraud = Signal()
stage_check = Signal()
stage_paid = Signal()

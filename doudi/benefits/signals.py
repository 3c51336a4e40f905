"""Signals of doudi.benefits to the procedures that started a benefit (no import of them here).

``stopped_for_fraud`` is sent by ``services.recover_fraud`` inside its transaction, after the
benefit is stopped and the recovery recorded, with ``benefit``, ``recovery``, ``user`` and ``on``.
A procedure whose decision started the benefit (``benefit.decision_app``) ends its own case
(doudi.support: the 特困 case, NAT-TK-END, NAT-DB-FRAUD). A receiver's error undoes the whole
recovery: it must raise a ValueError naming the field (a BenefitError-like message) to be shown.
"""

from __future__ import annotations

from django.dispatch import Signal

stopped_for_fraud = Signal()

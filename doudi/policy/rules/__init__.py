"""Rules as code, one module per program. Order matters: later programs read earlier results
(medical reads who is 低保 or 特困, the price subsidy reads every target group)."""

from doudi.policy.rules import (
    children,
    dibao,
    disability,
    education,
    employment,
    family_planning,
    housing,
    medical,
    price_subsidy,
    tekun,
    temporary,
)

PROGRAMS = (
    dibao, tekun, children, disability, temporary, medical, education, housing, employment,
    family_planning, price_subsidy,
)

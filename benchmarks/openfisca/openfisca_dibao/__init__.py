"""A small OpenFisca country package with one rule: 低保 (dibao), as issue 3 states it.

Per-capita income of the household against a dated standard; benefit (standard − per-capita
income) × members, plus 20 % of the standard per severely disabled member (grade 1–2).
Monthly; amounts in yuan, as OpenFisca computes them (float32).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.periods import MONTH
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Household = build_entity(
    key="household", plural="households", label="household",
    roles=[{"key": "member", "plural": "members", "label": "member"}],
)
Person = build_entity(key="person", plural="persons", label="person", is_person=True)


class counted_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "counted monthly income (wages, business, property, transfer, other), yuan"


class severely_disabled(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "disability certificate of grade 1 or 2"


class dibao_members(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "members living together"

    def formula(household, period):
        return household.nb_persons()


class per_capita_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "per-capita counted income, yuan per month"

    def formula(household, period):
        total = household.sum(household.members("counted_income", period))
        return total / household("dibao_members", period)


class dibao_standard(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "低保 standard in force, yuan per person per month"

    def formula(household, period, parameters):
        return np.full(household.count, parameters(period).dibao.standard)


class dibao_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "per-capita income below the standard"

    def formula(household, period):
        return household("per_capita_income", period) < household("dibao_standard", period)


class dibao(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "monthly 低保 benefit, yuan"

    def formula(household, period, parameters):
        standard = household("dibao_standard", period)
        gap = (standard - household("per_capita_income", period)) * household("dibao_members", period)
        disabled = household.sum(household.members("severely_disabled", period))
        uplift = parameters(period).dibao.disability_uplift * standard * disabled
        return np.where(household("dibao_eligible", period), gap + uplift, 0)


class CountryTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__([Household, Person])
        self.add_variables(counted_income, severely_disabled, dibao_members, per_capita_income,
                           dibao_standard, dibao_eligible, dibao)
        self.load_parameters(str(Path(__file__).parent / "parameters"))

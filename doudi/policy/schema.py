"""The household document, field by field (../shared/spec/interfaces.md, extended).

One table drives everything that reads households: the JSON reader of `doudi assess`, the
columnar reader of `doudi batch assess` (one row per person, household fields prefixed
`household.`), validation and defaults. docs/household.md documents every field.

Kinds:
- money: yuan, JSON number or string, at most 2 decimals, not negative; stored as int64 fen.
- count: a whole number, not negative (min/max where given); stored as int64.
- flag: true/false.
- enum: one word of `vocab`; stored as int8 index into vocab, -1 when absent.
- date: YYYY-MM-DD; stored as datetime64[D], NaT when absent.
- text: free text (names, reasoning); kept as Python objects, never used by a rule.
- area: square metres, up to 2 decimals; stored as int64 hundredths of m².
"""

from __future__ import annotations

from dataclasses import dataclass, field

MISSING = object()  # a field with no default: absent stays absent (nullable)


@dataclass(frozen=True)
class Field:
    path: str  # dotted path inside the household (level "household") or a member
    level: str  # "household" | "member"
    kind: str  # money | count | flag | enum | date | text | area | id_number | region
    doc: str  # what it means, with the rule it feeds
    vocab: tuple[str, ...] = ()
    default: object = MISSING
    min: int | None = None
    max: int | None = None
    required: bool = False
    rules: tuple[str, ...] = field(default=())

    @property
    def column(self) -> str:
        """Name of the column in batch files and in Households.cols."""
        return f"household.{self.path}" if self.level == "household" else self.path


H, M = "household", "member"

RELATIONS = ("self", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other")
DISABILITY_KINDS = ("physical", "visual", "hearing", "speech", "intellectual", "mental", "multiple")
ABILITY = ("full", "partial", "none")
SCHOOL_STAGES = (
    "preschool", "primary", "junior", "senior", "vocational", "junior_college", "bachelor",
    "postgraduate",
)
COUNTED_INCOME = ("wages", "business", "property", "transfer", "other")
NOT_COUNTED_INCOME = (
    "pension_basic", "special_care", "family_planning", "scholarship", "heroism_award",
    "assistance",
)
SPENDING = ("medical", "disability", "education", "care", "nutrition")
HARDSHIP_KINDS = ("general", "fire", "traffic_accident", "serious_illness", "disaster", "other_major")
ILLNESSES = ("mental", "infectious", "other")
FAMILY_PLANNING = (
    "one_child", "two_girls", "no_child_after_two_girls", "only_child_disabled",
    "only_child_deceased",
)
NOT_MEMBER_REASONS = ("clergy", "prison", "drug_rehab", "missing")

FIELDS: tuple[Field, ...] = (
    # --- household level -------------------------------------------------------------------
    Field("region", H, "region", "GB/T 2260 code of the household's county (6 digits), or a 9-digit township / 12-digit village statistical code under it", required=True),
    Field("residence", H, "enum", "urban or rural registration/residence: picks the urban or rural standard (DB-1) and the scope of county rules", vocab=("urban", "rural"), required=True),
    Field("date", H, "date", "date of the assessment; selects the parameters in force (default: today)"),
    *(Field(f"spending_12m.{k}", H, "money", f"rigid {k} spending over the past 12 months (DB-4, NAT-RIGID)", default=0, rules=("DB-4",)) for k in SPENDING),
    Field("medical_out_of_pocket_this_year", H, "money", "this year's medical cost after all insurance and medical assistance, whole household (DB-8 serious illness by cost, when no member states their own)", rules=("DB-8",)),
    Field("household_income_last_year", H, "money", "last year's total household income (DB-8)", rules=("DB-8",)),
    Field("assets.financial", H, "money", "deposits, securities, funds, commercial insurance and other financial assets (DB-1, NAT-DB-PROPERTY)", default=0),
    Field("assets.homes", H, "count", "number of homes owned (DB-1, DB-5, HO-1)"),
    Field("assets.living_space_m2", H, "area", "living space of the household in m² (HO-1)"),
    Field("assets.vehicles", H, "count", "motor vehicles owned, excluding those exempt as means of production or for a disabled member (DB-1, DB-5)", default=0),
    Field("assets.business", H, "flag", "the household runs a registered business (DB-1)", default=False),
    Field("legal_supporters", H, "enum", "people with a legal duty of support living elsewhere (TK-4, NAT-TK-SUPPORTER)", vocab=("none", "unable", "able"), default="none"),
    Field("dibao_class", H, "enum", "Wuhai 低保 class A/B/C (DB-15); derived from the class criteria when absent", vocab=("A", "B", "C")),
    Field("hardship.kind", H, "enum", "kind of hardship for temporary assistance (TA-1, TA-2, NAT-TA-KINDS)", vocab=HARDSHIP_KINDS),
    Field("hardship.people", H, "count", "people helped (TA-1); default: all members"),
    Field("hardship.months", H, "count", "months the hardship lasts (TA-1)"),
    Field("hardship.decided_amount", H, "money", "amount decided case by case (一事一议, TA-2) or proposed for a grant (TA-3)"),
    Field("hardship.reasoning", H, "text", "the reasoning recorded for a case-by-case amount (TA-2)"),
    Field("medical_bill.in_policy_out_of_pocket", H, "money", "in-policy cost left after basic and critical-illness insurance (MA-2)"),
    Field("medical_bill.illness", H, "enum", "the illness of the bill (MA-2)", vocab=ILLNESSES, default="other"),
    Field("medical_bill.patient", H, "count", "index (0-based) of the member the bill is for (MA-2)", default=0),
    Field("medical_bill.paid_this_year", H, "money", "medical assistance already paid this year, counted against the yearly cap (MA-2)", default=0),
    Field("family_planning", H, "enum", "family-planning situation of the parents (FP-1)", vocab=FAMILY_PLANNING),
    Field("public_emergency_affected", H, "flag", "income fell because a major epidemic or public emergency kept members from work (DB-12)", default=False),
    Field("local_registration", H, "flag", "household registration (户籍) is in the region (ED-2)", default=True),
    # --- member level ---------------------------------------------------------------------
    Field("id_number", M, "id_number", "resident ID number (GB 11643): check character, birth date and sex are verified"),
    Field("name", M, "text", "name"),
    Field("relation", M, "enum", "relation to the applicant", vocab=RELATIONS, default="other"),
    Field("birth_date", M, "date", "birth date; must agree with the ID number"),
    Field("sex", M, "enum", "M or F; must agree with the ID number", vocab=("M", "F")),
    Field("ethnic_minority", M, "flag", "member of an ethnic minority (DB-7)", default=False),
    Field("disability.kind", M, "enum", "kind of disability on the certificate", vocab=DISABILITY_KINDS),
    Field("disability.grade", M, "count", "disability grade 1–4, 1 most severe", min=1, max=4),
    Field("work_ability", M, "enum", "ability to work as assessed (DB-10, DB-11)", vocab=ABILITY),
    Field("self_care", M, "enum", "self-care ability (TK-2, NAT-TK-SELFCARE)", vocab=ABILITY),
    Field("self_care_tasks_unable", M, "count", "of the six self-care tasks, how many the person cannot do (NAT-TK-SELFCARE)", min=0, max=6),
    Field("serious_illness", M, "flag", "has a major disease on the local list (DB-8)", default=False),
    Field("pregnant", M, "flag", "pregnant (DB-4 nutrition)", default=False),
    Field("nursing", M, "flag", "nursing a baby (DB-4 nutrition)", default=False),
    Field("orphan", M, "flag", "both parents dead or not to be found (CH-1, NAT-CH-ORPHAN)", default=False),
    Field("de_facto_unsupported", M, "flag", "事实无人抚养儿童 as NAT-CH-DEFACTO defines (CH-1)", default=False),
    Field("hiv_affected", M, "flag", "child infected with HIV (CH-1, baotou-2017)", default=False),
    Field("institutional", M, "flag", "lives in a welfare or support institution (CH-1 institutional orphan standard; TK-5 centralised support)", default=False),
    Field("school.stage", M, "enum", "stage of schooling now attended", vocab=SCHOOL_STAGES),
    Field("school.boarding", M, "flag", "boards at school (ED-1)", default=False),
    Field("school.new_entrant", M, "flag", "newly admitted this year (ED-2)", default=False),
    *(Field(f"monthly_income.{k}", M, "money", f"monthly income: {k} (counted, DB-3)", default=0, rules=("DB-3",)) for k in COUNTED_INCOME),
    *(Field(f"monthly_income.{k}", M, "money", f"monthly income: {k} (not counted, DB-3)", default=0, rules=("DB-3",)) for k in NOT_COUNTED_INCOME),
    Field("lives_together", M, "flag", "lives together with the household (共同生活, NAT-DB-MEMBERS)", default=True),
    Field("not_member_reason", M, "enum", "why a listed person is not a member (NAT-DB-MEMBERS)", vocab=NOT_MEMBER_REASONS),
    Field("refused_work_offers", M, "count", "job offers from the labour department refused in a row without good reason (DB-10, NAT-DB-WORK)", default=0),
    Field("medical_out_of_pocket_this_year", M, "money", "the member's own medical cost this year after all insurance and assistance (DB-8)"),
    Field("single_person_application", M, "flag", "applies to be covered alone as a single-person household when the family is an edge family (DB-8)", default=True),
    Field("chooses_child_allowance", M, "flag", "a minor qualifying both as 特困 and as orphan/de-facto-unsupported takes the child allowance (NAT-TK-MINOR)", default=True),
    Field("needs_long_term_care", M, "flag", "needs long-term care for 6 months or more (DS-1 care subsidy); default: yes for grade 1–2"),
    Field("pension_insured", M, "flag", "insured in the residents' or employees' old-age insurance (EM-2, FP-1)"),
    Field("pension_scheme", M, "enum", "which old-age insurance: residents' (城乡居民基本养老保险, EM-2) or employees' (职工基本养老保险); implies pension_insured", vocab=("residents", "employees")),
    Field("employed", M, "flag", "has a job (FP-1 urban one-child parents)"),
    Field("unemployment_insurance", M, "flag", "draws unemployment-insurance benefit (PL-1)", default=False),
    Field("special_care_recipient", M, "flag", "receives regular special-care pensions (优抚, PL-1)", default=False),
    Field("needy_student", M, "flag", "university student recognised as from a family in difficulty (PL-1)", default=False),
)

BY_PATH: dict[tuple[str, str], Field] = {(f.level, f.path): f for f in FIELDS}
BY_COLUMN: dict[str, Field] = {f.column: f for f in FIELDS}
HOUSEHOLD_FIELDS = tuple(f for f in FIELDS if f.level == H)
MEMBER_FIELDS = tuple(f for f in FIELDS if f.level == M)

"""Which step of a branch's year allows which action: one table, read by services, pages and tests.

The eleven steps are the branch-year state machine (`services.year.YEAR_MACHINE`); this module says
what each step lets people do *inside* it. Anything not listed for a stage is refused with a Chinese
message naming the stage, and changes nothing.
"""

from django.core.exceptions import ValidationError

from .choices import Stage

# 党员自评: members self-report only while the branch is in step 2.
SELF_REPORT_STAGES = frozenset({Stage.SELF_ASSESSMENT})
# 社区党组织初评: the community reviews self-reports (as they come in during step 2, and in step 3).
REVIEW_STAGES = frozenset({Stage.SELF_ASSESSMENT, Stage.PRELIMINARY_REVIEW})
# Points recorded by the community and automatic credits from activities: until 初评 is finished.
# Step 1 is included so that an activity early in the year is not lost before the branch opens step 2.
CREDIT_STAGES = frozenset({Stage.SCHEME, Stage.SELF_ASSESSMENT, Stage.PRELIMINARY_REVIEW})
# Corrections of approved points (reversal + corrected entry): while 初评 is open; afterwards only an
# upheld objection during 公示 may correct a total.
CORRECTION_STAGES = REVIEW_STAGES
# Exemptions are applied for and decided before the assembly confirms the year's list.
EXEMPTION_STAGES = CREDIT_STAGES
# Objections are recorded and resolved during 公示.
OBJECTION_STAGES = frozenset({Stage.PUBLICITY})
# A violation may be recorded until the grades are proposed (it makes the member 不合格).
VIOLATION_STAGES = frozenset(
    {
        Stage.SCHEME,
        Stage.SELF_ASSESSMENT,
        Stage.PRELIMINARY_REVIEW,
        Stage.ASSEMBLY,
        Stage.PUBLICITY,
        Stage.REGISTRATION,
        Stage.REPORTING,
        Stage.FILING,
        Stage.YEAR_END_REVIEW,
        Stage.GRADING,
    }
)
# The street sees a branch's results once they are reported to it.
FILED_STAGES = frozenset(
    {
        Stage.FILING,
        Stage.YEAR_END_REVIEW,
        Stage.GRADING,
        Stage.GRADE_CONFIRMATION,
        Stage.VERIFICATION,
        Stage.DONE,
    }
)


class StageClosed(ValidationError):
    """The branch's year is not at a step that allows this action."""


def require_stage(branch_year, stages: frozenset[str], action: str) -> None:
    if branch_year.stage not in stages:
        label = Stage(branch_year.stage).label
        raise StageClosed(f"{branch_year.branch}{branch_year.year}年积分当前处于「{label}」，不能{action}。")

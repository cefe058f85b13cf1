"""Writes of the points system; every one is keyword-only, atomic, checked and audited.

Other apps call `points_auto_credit` (PTS-5); pages and the API call the rest.
"""

from .claims import (
    CLAIM_MACHINE,
    REVIEW_ACTIONS,
    claim_adjust,
    claim_approve,
    claim_correct,
    claim_record,
    claim_reject,
    claim_submit,
    claim_withdraw,
    claims_review_bulk,
)
from .common import member_account, member_points_currency
from .credits import AutoCreditResult, auto_credit_key, points_auto_credit
from .exemptions import EXEMPTION_MACHINE, exemption_apply, exemption_decide
from .objections import objection_record, objection_resolve
from .schemes import (
    SCHEME_MACHINE,
    scheme_copy_forward,
    scheme_create,
    scheme_item_delete,
    scheme_item_save,
    scheme_new_version,
    scheme_publish,
    scheme_update,
)
from .violations import violation_record, violation_revoke
from .year import STEPS, YEAR_MACHINE, branch_year_open, branch_year_step, branch_year_verify

__all__ = [
    "CLAIM_MACHINE",
    "EXEMPTION_MACHINE",
    "REVIEW_ACTIONS",
    "SCHEME_MACHINE",
    "STEPS",
    "YEAR_MACHINE",
    "AutoCreditResult",
    "auto_credit_key",
    "branch_year_open",
    "branch_year_step",
    "branch_year_verify",
    "claim_adjust",
    "claim_approve",
    "claim_correct",
    "claim_record",
    "claim_reject",
    "claim_submit",
    "claim_withdraw",
    "claims_review_bulk",
    "exemption_apply",
    "exemption_decide",
    "member_account",
    "member_points_currency",
    "objection_record",
    "objection_resolve",
    "points_auto_credit",
    "scheme_copy_forward",
    "scheme_create",
    "scheme_item_delete",
    "scheme_item_save",
    "scheme_new_version",
    "scheme_publish",
    "scheme_update",
    "violation_record",
    "violation_revoke",
]

"""The state-machine helper: allowed transitions only, the right permission, a record per step."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models

from linli.core.models import TransitionRecord
from linli.core.roles import Role, register_permissions
from linli.core.statemachine import StateMachine, TransitionError, transition
from linli.orgs.models import OrgNode


class Stage(models.TextChoices):
    OPEN = "open", "开放"
    CLOSED = "closed", "关闭"


register_permissions({"tests.toggle": ("测试开关", {Role.COMMUNITY_ADMIN})})

# OrgNode has a state-like text field we can borrow for the helper's test: `code`.
MACHINE = StateMachine(
    name="test_toggle",
    state_field="code",
    states=Stage,
    transitions=[
        transition("close", "关闭", Stage.OPEN, Stage.CLOSED, "tests.toggle"),
        transition("reopen", "重新开放", Stage.CLOSED, Stage.OPEN, "tests.toggle", is_undo=True),
    ],
)


@pytest.fixture
def grid(world):
    OrgNode.objects.filter(pk=world.grid_a1.pk).update(code=Stage.OPEN)
    world.grid_a1.refresh_from_db()
    return world.grid_a1


def test_allowed_transition_moves_state_and_writes_a_record(world, grid):
    record = MACHINE.apply(grid, "close", actor=world.community_admin_a, note="结束")
    grid.refresh_from_db()
    assert grid.code == Stage.CLOSED
    assert (record.from_state, record.to_state, record.actor_name, record.note) == (
        "open",
        "closed",
        "community_admin_a",
        "结束",
    )
    assert (record.from_label, record.to_label) == ("开放", "关闭")


def test_transition_from_wrong_state_is_refused(world, grid):
    with pytest.raises(TransitionError, match="当前状态为「开放」，不能执行「重新开放」"):
        MACHINE.apply(grid, "reopen", actor=world.community_admin_a, note="x")
    assert TransitionRecord.objects.count() == 0


def test_user_without_permission_at_the_node_is_refused(world, grid):
    with pytest.raises(PermissionDenied):
        MACHINE.apply(grid, "close", actor=world.community_admin_b)
    grid.refresh_from_db()
    assert grid.code == Stage.OPEN


def test_undo_requires_a_reason(world, grid):
    MACHINE.apply(grid, "close", actor=world.community_admin_a)
    with pytest.raises(TransitionError, match="必须填写原因"):
        MACHINE.apply(grid, "reopen", actor=world.community_admin_a, note=" ")
    MACHINE.apply(grid, "reopen", actor=world.community_admin_a, note="误操作")
    assert [r.transition for r in MACHINE.history(grid)] == ["close", "reopen"]


def test_available_lists_only_what_the_user_may_do_now(world, grid):
    assert [t.name for t in MACHINE.available(grid, world.community_admin_a)] == ["close"]
    assert MACHINE.available(grid, world.grid_worker_a1) == []


def test_a_self_role_may_move_only_its_own_row(world, grid, monkeypatch):
    """A transition naming a self permission lets a self role move rows whose `self_may` agrees."""
    register_permissions({"tests.toggle_own": ("测试本人开关", {Role.MEMBER})})
    own = StateMachine(
        name="test_own",
        state_field="code",
        states=Stage,
        transitions=[
            transition(
                "close", "关闭", Stage.OPEN, Stage.CLOSED, "tests.toggle", self_permission="tests.toggle_own"
            )
        ],
    )
    monkeypatch.setattr(
        OrgNode,
        "self_may",
        lambda node, scope, name: scope.person_id == world.member_a.person_id,
        raising=False,
    )
    with pytest.raises(PermissionDenied):
        own.apply(grid, "close", actor=world.member_user_b)
    assert [t.name for t in own.available(grid, world.member_user_a)] == ["close"]
    own.apply(grid, "close", actor=world.member_user_a)
    grid.refresh_from_db()
    assert grid.code == Stage.CLOSED

"""Test support shared by every app: the standard small world and the scope-case registry."""

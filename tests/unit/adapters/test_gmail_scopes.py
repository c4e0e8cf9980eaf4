"""The Gmail scopes autoapply asks for, checked against Google's discovery document."""

from __future__ import annotations

from common.adapters import gmail_scopes
from common.adapters.gmail_scopes import FULL_ACCESS, METHODS, PREFIX, SCOPES, uncovered


def test_the_scopes_cover_every_method_autoapply_calls() -> None:
    assert uncovered(SCOPES) == []
    for method in ("users.messages.list", "users.messages.get", "users.threads.get"):
        assert method in METHODS  # reconcile and reply tracking read the mailbox


def test_the_scopes_are_the_least_privilege() -> None:
    for scope in SCOPES:  # each one is needed
        assert uncovered(s for s in SCOPES if s != scope)
    assert not {f"{PREFIX}gmail.modify", FULL_ACCESS} & set(SCOPES)


def test_a_token_from_the_old_helper_is_explained() -> None:
    old = [f"{PREFIX}gmail.send", f"{PREFIX}gmail.compose"]
    assert "users.messages.list" in uncovered(old)
    problem = gmail_scopes.scope_problem(old)
    assert problem and "gmail.readonly" in problem and "autoapply auth gmail" in problem
    assert gmail_scopes.scope_problem(SCOPES) is None
    assert gmail_scopes.scope_problem([f"{PREFIX}gmail.modify"]) is None

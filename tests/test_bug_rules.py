"""One rule per question: which bugs need their analysis is decided in `domain.bugs` and
the bug list's SQL says the same for every row."""

from __future__ import annotations

from opstui.data.bug_queries import BugQuery
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY
from opstui.domain.bugs import needs_analysis
from opstui.domain.enums import BugStatus, Priority
from opstui.domain.models import Bug


def test_the_bug_list_flags_exactly_the_bugs_the_domain_rule_says_need_analysis(
    demo_repo: Repository,
) -> None:
    # A resolved P1, a P0 whose root cause is only spaces, and an open P1 that has one.
    bugs = {bug.id: bug for bug in demo_repo.all(Bug)}
    urgent = [bug for bug in bugs.values() if bug.priority in (Priority.P0, Priority.P1)]
    assert len(urgent) >= 3
    demo_repo.update(urgent[0].model_copy(update={"root_cause": "   ", "status": BugStatus.OPEN}))
    demo_repo.update(urgent[1].model_copy(update={"status": BugStatus.RESOLVED}))
    demo_repo.update(urgent[2].model_copy(update={"root_cause": "Cache key misses tenant"}))
    bugs = {bug.id: bug for bug in demo_repo.all(Bug)}

    rows = demo_repo.bug_list_page(BugQuery(inbox=False), DEMO_TODAY, 0, len(bugs) + 10)
    assert len(rows) == len(bugs)
    for row in rows:
        bug = bugs[row.id]
        assert row.needs_analysis == needs_analysis(bug.priority, bug.status, bug.root_cause)
    assert any(row.needs_analysis for row in rows)

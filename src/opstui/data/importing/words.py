"""An import's report in words: the summary the command line prints and the app shows."""

from __future__ import annotations

from opstui.data.importing.engine import ImportReport, Tally
from opstui.data.importing.records import Kind
from opstui.domain.text import clean_line

NAMES_SHOWN = 5
ORDER = ("bugs", "customers", "nps", "feedback", "projects")
WHAT = {
    "bugs": "bugs",
    "customers": "customers",
    "nps": "NPS responses",
    "feedback": "feedback entries",
    "projects": "projects",
}


def _names(names: list[str]) -> str:
    shown = ", ".join(clean_line(name) for name in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} and {more:,} more" if more > 0 else shown


def _counts(tally: Tally, dry_run: bool) -> str:
    if dry_run:
        return (
            f"{tally.created:,} to create, {tally.updated:,} to update, "
            f"{tally.unchanged:,} unchanged, {tally.skipped:,} skipped"
        )
    return (
        f"{tally.created:,} created, {tally.updated:,} updated, "
        f"{tally.unchanged:,} unchanged, {tally.skipped:,} skipped"
    )


def headline(report: ImportReport, workspace: str) -> str:
    """The first line: what was read, into which workspace, and how long it took."""
    source = f"{clean_line(report.path.name)} ({report.title}, {report.rows:,} rows)"
    if report.dry_run:
        return f"dry run: {source} into {clean_line(workspace)}; nothing was written"
    return f"imported {source} into {clean_line(workspace)} in {report.seconds:.1f} s"


def summary_lines(report: ImportReport) -> list[str]:
    """Per kind: created / updated / unchanged / skipped, and what the import made."""
    lines = []
    dry = report.dry_run
    for name in ORDER:
        tally = report.tallies.get(name)
        if tally is None:
            continue
        line = f"{WHAT[name]}: {_counts(tally, dry)}"
        reasons = [
            f"{count:,} {clean_line(reason)}"
            for reason, count in sorted(report.skip_reasons.items())
        ]
        bad = report.problem_count
        why = []
        if reasons:
            why.append(f"not bugs: {', '.join(reasons)}")
        if bad:
            why.append(f"{bad:,} bad row{'s' if bad != 1 else ''}")
        if why and tally.skipped:
            line += f" ({'; '.join(why)})"
        lines.append(line)
    verb = "to create" if dry else "created"
    created = report.created_names
    if "companies" in created:
        lines.append(
            f"companies: {len(created['companies']):,} {verb} ({_names(created['companies'])})"
        )
    if "products" in created:
        lines.append(
            f"products: {len(created['products']):,} {verb} ({_names(created['products'])})"
        )
    if "people" in created:
        roles = ", ".join(
            f"{role} {count:,}" if len(report.roles_created) > 1 else role
            for role, count in sorted(report.roles_created.items())
        )
        lines.append(
            f"people: {len(created['people']):,} {verb} ({_names(created['people'])}; role "
            f"{roles}: change it on the Setup screen)"
        )
    links = report.tallies.get("customer links")
    if links is not None:
        lines.append(f"customer links: {links.created:,} {verb}, {links.unchanged:,} already there")
    if report.unmatched_customers:
        names = sorted(report.unmatched_customers)
        lines.append(f"customer labels that name no customer: {_names(names)}")
    if report.without_company and report.kind is Kind.BUGS:
        count = report.without_company
        lines.append(
            f"{count:,} new bug{'s' if count != 1 else ''} without a company "
            "(--company names one; `c` on the bugs screen sets it)"
        )
    return lines

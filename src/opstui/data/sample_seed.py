"""The demo workspace's fixed content: the seed documents' portfolio, people, bugs,
customers and requests, as data. `opstui.data.sample` turns it into a workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opstui.domain.enums import (
    ChurnRisk,
    FeedbackKind,
    PersonRole,
    Phase,
    Priority,
    ProjectStatus,
    RequestStatus,
    RiskLevel,
    SubmissionPart,
)

COMPANIES = ("Company A", "Company B", "Company C")
PRODUCTS = {
    "Company A": ("Boleta", "Invoicing"),
    "Company B": ("Payroll", "HR Suite"),
    "Company C": ("Banking Connect", "Treasury"),
}
PEOPLE: tuple[tuple[str, PersonRole, str | None], ...] = (
    ("Ana Ruiz", PersonRole.PRODUCT_MANAGER, "Company A"),
    ("Tomás Herrera", PersonRole.PRODUCT_MANAGER, "Company A"),
    ("Priya Nair", PersonRole.PRODUCT_MANAGER, "Company B"),
    ("Lucas Moreau", PersonRole.PRODUCT_MANAGER, "Company B"),
    ("Mei Chen", PersonRole.PRODUCT_MANAGER, "Company C"),
    ("Daniel Okafor", PersonRole.PRODUCT_MANAGER, "Company C"),
    ("Sofia Lindqvist", PersonRole.ENGINEERING_LEAD, "Company A"),
    ("Rahul Mehta", PersonRole.ENGINEERING_LEAD, "Company A"),
    ("Jonas Weber", PersonRole.ENGINEERING_LEAD, "Company B"),
    ("Carmen Vidal", PersonRole.ENGINEERING_LEAD, "Company B"),
    ("Kenji Sato", PersonRole.ENGINEERING_LEAD, "Company C"),
    ("Amara Diallo", PersonRole.ENGINEERING_LEAD, "Company C"),
    ("Laura Becker", PersonRole.DIRECTOR, "Company A"),
    ("Miguel Fernández", PersonRole.DIRECTOR, "Company B"),
    ("Grace Kim", PersonRole.DIRECTOR, "Company C"),
    ("Olivia Hart", PersonRole.CSM, None),
    ("Ben Adeyemi", PersonRole.CSM, None),
    ("Hana Novak", PersonRole.CSM, None),
    ("Elena Rossi", PersonRole.EXECUTIVE, None),
    ("Victor Alves", PersonRole.OTHER, None),
)


@dataclass(frozen=True, slots=True)
class ProjectSeed:
    name: str
    company: str
    product: str
    phase: Phase
    progress: int
    status: ProjectStatus
    milestone: str
    milestone_date: date
    risk: RiskLevel
    completion: date
    baseline: date
    pm: str
    lead: str
    cpto_input: str = ""


D = date
SEED_PROJECTS: tuple[ProjectSeed, ...] = (
    # The four rows of the seed's portfolio table, exactly.
    ProjectSeed(
        "Boleta Automation",
        "Company A",
        "Boleta",
        Phase.DELIVERY,
        85,
        ProjectStatus.ON_TRACK,
        "Full Rollout",
        D(2026, 7, 9),
        RiskLevel.LOW,
        D(2026, 7, 12),
        D(2026, 7, 12),
        "Ana Ruiz",
        "Sofia Lindqvist",
        "Approve the rollout to the remaining 40% of customers.",
    ),
    ProjectSeed(
        "Multi-State Payroll",
        "Company B",
        "Payroll",
        Phase.DEVELOPMENT,
        60,
        ProjectStatus.AT_RISK,
        "Sprint 4 Demo",
        D(2026, 7, 10),
        RiskLevel.MEDIUM,
        D(2026, 7, 14),
        D(2026, 7, 3),
        "Priya Nair",
        "Jonas Weber",
        "Two engineers from Company C's platform team for three sprints.",
    ),
    ProjectSeed(
        "Banking Integration",
        "Company C",
        "Banking Connect",
        Phase.DEFINITION,
        90,
        ProjectStatus.ON_TRACK,
        "Dev Handoff",
        D(2026, 7, 15),
        RiskLevel.LOW,
        D(2026, 7, 18),
        D(2026, 7, 18),
        "Mei Chen",
        "Kenji Sato",
        "Architecture sign-off: reuse Company A's connector framework?",
    ),
    ProjectSeed(
        "Invoice AI",
        "Company A",
        "Invoicing",
        Phase.DISCOVERY,
        45,
        ProjectStatus.ON_TRACK,
        "Problem Validation",
        D(2026, 7, 18),
        RiskLevel.LOW,
        D(2026, 7, 22),
        D(2026, 7, 22),
        "Tomás Herrera",
        "Rahul Mehta",
        "Go/no-go criteria for the discovery gate.",
    ),
    # A dozen more, across every phase.
    ProjectSeed(
        "Mobile Expense Capture",
        "Company A",
        "Invoicing",
        Phase.DISCOVERY,
        20,
        ProjectStatus.ON_TRACK,
        "Interview Synthesis",
        D(2026, 7, 24),
        RiskLevel.LOW,
        D(2026, 8, 28),
        D(2026, 8, 28),
        "Tomás Herrera",
        "Rahul Mehta",
    ),
    ProjectSeed(
        "Customer Portal Redesign",
        "Company B",
        "HR Suite",
        Phase.DISCOVERY,
        30,
        ProjectStatus.AT_RISK,
        "Prototype Review",
        D(2026, 7, 16),
        RiskLevel.MEDIUM,
        D(2026, 8, 14),
        D(2026, 8, 7),
        "Lucas Moreau",
        "Carmen Vidal",
        "Budget for a research agency (over $5K).",
    ),
    ProjectSeed(
        "Predictive Cash Flow",
        "Company C",
        "Treasury",
        Phase.DISCOVERY,
        10,
        ProjectStatus.ON_TRACK,
        "Data Audit",
        D(2026, 7, 21),
        RiskLevel.MEDIUM,
        D(2026, 9, 30),
        D(2026, 9, 30),
        "Daniel Okafor",
        "Amara Diallo",
    ),
    ProjectSeed(
        "Tax Engine v2",
        "Company A",
        "Boleta",
        Phase.DEFINITION,
        70,
        ProjectStatus.ON_TRACK,
        "Scope Sign-off",
        D(2026, 7, 13),
        RiskLevel.LOW,
        D(2026, 10, 30),
        D(2026, 10, 30),
        "Ana Ruiz",
        "Sofia Lindqvist",
    ),
    ProjectSeed(
        "Time & Attendance",
        "Company B",
        "HR Suite",
        Phase.DEFINITION,
        55,
        ProjectStatus.AT_RISK,
        "Feasibility Spike",
        D(2026, 7, 17),
        RiskLevel.MEDIUM,
        D(2026, 10, 16),
        D(2026, 10, 2),
        "Lucas Moreau",
        "Carmen Vidal",
        "Decide build vs. buy for the time-clock hardware integration.",
    ),
    ProjectSeed(
        "Open Banking Connectors",
        "Company C",
        "Banking Connect",
        Phase.DEFINITION,
        35,
        ProjectStatus.ON_TRACK,
        "Vendor Shortlist",
        D(2026, 7, 20),
        RiskLevel.LOW,
        D(2026, 11, 13),
        D(2026, 11, 13),
        "Mei Chen",
        "Kenji Sato",
    ),
    ProjectSeed(
        "CFDI 4.0 Compliance",
        "Company A",
        "Invoicing",
        Phase.DEVELOPMENT,
        75,
        ProjectStatus.ON_TRACK,
        "Sprint 6 Demo",
        D(2026, 7, 8),
        RiskLevel.LOW,
        D(2026, 7, 31),
        D(2026, 7, 31),
        "Ana Ruiz",
        "Rahul Mehta",
    ),
    ProjectSeed(
        "Benefits Enrollment",
        "Company B",
        "HR Suite",
        Phase.DEVELOPMENT,
        40,
        ProjectStatus.OFF_TRACK,
        "Integration Test",
        D(2026, 7, 14),
        RiskLevel.HIGH,
        D(2026, 9, 18),
        D(2026, 8, 21),
        "Lucas Moreau",
        "Carmen Vidal",
        "Re-plan or cut scope: carrier API certification is four weeks late.",
    ),
    ProjectSeed(
        "Reconciliation Engine",
        "Company C",
        "Treasury",
        Phase.DEVELOPMENT,
        55,
        ProjectStatus.ON_TRACK,
        "Sprint 3 Demo",
        D(2026, 7, 9),
        RiskLevel.LOW,
        D(2026, 8, 28),
        D(2026, 8, 28),
        "Daniel Okafor",
        "Amara Diallo",
    ),
    ProjectSeed(
        "Vendor Onboarding",
        "Company A",
        "Boleta",
        Phase.DELIVERY,
        95,
        ProjectStatus.ON_TRACK,
        "GA Announcement",
        D(2026, 7, 7),
        RiskLevel.LOW,
        D(2026, 7, 10),
        D(2026, 7, 10),
        "Tomás Herrera",
        "Sofia Lindqvist",
    ),
    ProjectSeed(
        "Payroll Self-Service",
        "Company B",
        "Payroll",
        Phase.DELIVERY,
        80,
        ProjectStatus.AT_RISK,
        "Gradual Rollout 50%",
        D(2026, 7, 13),
        RiskLevel.MEDIUM,
        D(2026, 7, 24),
        D(2026, 7, 17),
        "Priya Nair",
        "Jonas Weber",
    ),
    ProjectSeed(
        "Treasury Dashboard",
        "Company C",
        "Treasury",
        Phase.DELIVERY,
        90,
        ProjectStatus.ON_TRACK,
        "Full Rollout",
        D(2026, 7, 16),
        RiskLevel.LOW,
        D(2026, 7, 17),
        D(2026, 7, 17),
        "Mei Chen",
        "Kenji Sato",
    ),
)

# Open bugs per company and priority (the seed's table, plus P3 and untriaged), and the
# resolution rate each company should show over the 90-day window.
OPEN_BUGS = {
    "Company A": {Priority.P0: 0, Priority.P1: 5, Priority.P2: 18, Priority.P3: 9, None: 4},
    "Company B": {Priority.P0: 1, Priority.P1: 8, Priority.P2: 22, Priority.P3: 12, None: 4},
    "Company C": {Priority.P0: 0, Priority.P1: 3, Priority.P2: 15, Priority.P3: 0, None: 1},
}
RESOLUTION_RATE = {"Company A": 0.87, "Company B": 0.82, "Company C": 0.93}
# The previous weeks' rates, so the matrix shows the seed's trend arrows (A ↑, B →, C ↑).
PREVIOUS_RATES = {
    "2026-W27": {"Company A": 84.2, "Company B": 81.7, "Company C": 90.4, "Total": 85.1},
    "2026-W26": {"Company A": 83.0, "Company B": 83.1, "Company C": 89.8, "Total": 84.9},
    "2026-W25": {"Company A": 81.5, "Company B": 84.0, "Company C": 88.7, "Total": 84.6},
}

BUG_SUBJECTS = (
    "Invoice PDF",
    "Payroll run",
    "Bank sync",
    "Tax calculation",
    "CSV import",
    "Login",
    "SSO redirect",
    "Dashboard chart",
    "Webhook retry",
    "Email notification",
    "Report export",
    "Timezone handling",
    "Currency rounding",
    "Audit log",
    "Search index",
    "API rate limit",
    "Mobile layout",
    "Password reset",
    "Session timeout",
    "File upload",
)
BUG_PROBLEMS = (
    "fails for accounts with more than 1,000 rows",
    "shows the wrong total after an edit",
    "times out under load",
    "duplicates entries on retry",
    "is slow on the first load",
    "drops accents in names",
    "ignores the company's locale",
    "returns HTTP 500 intermittently",
    "loses the filter after refresh",
    "crashes on an empty file",
    "reports stale data for an hour",
    "double-counts refunds",
)
UNTRIAGED_TITLES = (
    "Boleta XML rejected by SII for folio ranges above 10,000",
    "Payroll preview hangs when an employee has two contracts",
    "Bank statement import skips rows with a trailing comma",
    "Export to Excel loses leading zeros in tax IDs",
    "HR Suite onboarding email links to the staging host",
    "Overtime rule for Nevada applied to California employees",
    "Treasury FX rates not refreshed on weekends",
    "Dark-mode chart labels unreadable in the dashboard",
    "Vendor portal shows another vendor's logo after logout",
    "Invoice numbering resets when the fiscal year changes mid-month",
    "Duplicate webhook deliveries after a 502 from the receiver",
    "Search returns archived customers first",
)

CUSTOMERS: tuple[tuple[str, str, float, ChurnRisk, int, int, int], ...] = (
    # name, company, ARR, churn risk, seats, active users, critical features used
    ("Andes Retail", "Company A", 180_000, ChurnRisk.LOW, 400, 352, 5),
    ("Pacífico Foods", "Company A", 95_000, ChurnRisk.MEDIUM, 150, 96, 3),
    ("Altiplano Mining", "Company A", 240_000, ChurnRisk.LOW, 600, 498, 4),
    ("Lago Verde Hotels", "Company A", 42_000, ChurnRisk.HIGH, 80, 31, 2),
    ("Cordillera Health", "Company A", 130_000, ChurnRisk.LOW, 300, 261, 4),
    ("Northwind Logistics", "Company B", 210_000, ChurnRisk.MEDIUM, 900, 610, 3),
    ("Bluebird Staffing", "Company B", 88_000, ChurnRisk.LOW, 250, 221, 5),
    ("Harbor & Pine", "Company B", 64_000, ChurnRisk.HIGH, 120, 54, 1),
    ("Summit Schools", "Company B", 150_000, ChurnRisk.LOW, 1200, 1010, 4),
    ("Redwood Clinics", "Company B", 72_000, ChurnRisk.MEDIUM, 200, 132, 3),
    ("Meridian Bank", "Company C", 320_000, ChurnRisk.LOW, 350, 301, 5),
    ("Quayside Credit Union", "Company C", 110_000, ChurnRisk.MEDIUM, 140, 88, 3),
    ("Orbit Payments", "Company C", 260_000, ChurnRisk.LOW, 500, 455, 4),
    ("Granite Capital", "Company C", 55_000, ChurnRisk.HIGH, 60, 22, 1),
    ("Lumen Insurance", "Company C", 190_000, ChurnRisk.LOW, 420, 340, 4),
    ("Cobalt Freight", "Company B", 48_000, ChurnRisk.MEDIUM, 90, 58, 2),
)
# NPS response pools per churn risk: healthy customers answer higher.
NPS_POOLS = {
    ChurnRisk.LOW: (10, 10, 9, 9, 9, 8, 8, 7, 10, 6),
    ChurnRisk.MEDIUM: (9, 8, 8, 7, 7, 6, 5, 9, 6, 4),
    ChurnRisk.HIGH: (7, 8, 5, 4, 7, 8, 2, 6, 9, 9),
}
REQUESTS: tuple[tuple[str, RequestStatus, str, str, tuple[str, ...]], ...] = (
    (
        "Real-time dashboards",
        RequestStatus.PLANNED,
        "2-3 weeks",
        "Epic 3: Reporting",
        ("Andes Retail", "Northwind Logistics", "Meridian Bank"),
    ),
    (
        "Salesforce integration",
        RequestStatus.IN_ROADMAP,
        "4 weeks",
        "Epic 2: Integrations",
        ("Northwind Logistics", "Summit Schools", "Orbit Payments", "Lumen Insurance"),
    ),
    (
        "SSO with SAML",
        RequestStatus.BACKLOG,
        "2 weeks",
        "Epic 4: Security & compliance",
        ("Meridian Bank", "Altiplano Mining", "Cordillera Health"),
    ),
    (
        "Custom report builder",
        RequestStatus.BACKLOG,
        "5-6 weeks",
        "Epic 3: Reporting",
        ("Pacífico Foods", "Redwood Clinics"),
    ),
    (
        "Audit log export",
        RequestStatus.BACKLOG,
        "1 week",
        "Epic 4: Security & compliance",
        ("Quayside Credit Union", "Granite Capital"),
    ),
    (
        "Stripe integration",
        RequestStatus.BACKLOG,
        "3 weeks",
        "Epic 2: Integrations",
        ("Orbit Payments",),
    ),
    (
        "Tiered pricing",
        RequestStatus.BACKLOG,
        "3-4 weeks",
        "Epic 1: Pricing engine",
        ("Bluebird Staffing",),
    ),
    (
        "CSV bulk import",
        RequestStatus.SHIPPED,
        "1 week",
        "Epic 2: Integrations",
        ("Harbor & Pine", "Cobalt Freight", "Lago Verde Hotels"),
    ),
)
FEEDBACK = {
    FeedbackKind.PAIN_POINT: (
        "Month-end close takes two days because exports need manual cleanup.",
        "Support response times slipped during the last release.",
        "Permissions are too coarse for our regional managers.",
        "Onboarding new sites still needs a call with your team.",
    ),
    FeedbackKind.PRAISE: (
        "The new approval flow saved our finance team hours every week.",
        "Rollout went smoothly; users picked it up without training.",
        "Your CSM caught a configuration problem before it hit payroll.",
    ),
    FeedbackKind.BUG: (
        "Totals in the weekly report do not match the dashboard.",
        "Some users are logged out every few minutes on mobile.",
    ),
}


PREREAD_TEXTS: dict[SubmissionPart, str] = {
    SubmissionPart.PROJECT_STATUS: (
        "{projects}: status, progress and next milestone updated in the portfolio; "
        "nothing moved without a date."
    ),
    SubmissionPart.RISKS_BLOCKERS: (
        "Need a CPTO decision on sharing the payments SDK across companies before Sprint 5."
    ),
    SubmissionPart.RESOURCE_NEEDS: "One more QA engineer for two weeks around the next release.",
    SubmissionPart.QUALITY_BUGS: "P1 bugs down to 4; two regressions found in beta, both fixed.",
    SubmissionPart.TECHNICAL_PROGRESS: (
        "{projects}: 38 story points this sprint (previous 34), velocity stable."
    ),
    SubmissionPart.QUALITY_GATES: (
        "All gates met except load testing: p95 at 410 ms against a 350 ms target."
    ),
    SubmissionPart.INFRA_TECH_DEBT: (
        "Move the job queue off the shared database; retire the legacy auth service."
    ),
    SubmissionPart.DEPENDENCIES: (
        "Waiting on the platform team's tenant API (due Jul 10); Company B's SSO work unblocked."
    ),
}
"""What each part of the demo's pre-read says ({projects}: the person's projects)."""

PROJECT_NOTE = "On course for {milestone}; scope unchanged this week."
"""The demo's note on each project of a pre-read."""

RETURN_COMMENT = (
    "Please add the quality-gate results of the release candidate and a date for the tenant API."
)
"""Why the demo's director returned one pre-read."""

"""The repository's part for one aggregate. Customers, their NPS responses and feedback, and the
feature requests they ask for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from opstui.data.store import _RETIRED_CUSTOMERS, NotFoundError, Store
from opstui.domain.customers import CustomerRow
from opstui.domain.enums import (
    ChurnRisk,
    RequestStatus,
)
from opstui.domain.limits import MONEY_MAX
from opstui.domain.models import (
    Customer,
    FeatureRequest,
    FeedbackEntry,
    NpsResponse,
)
from opstui.domain.text import clean_line, clean_text


class CustomerRecords(Store):
    """Customers, their NPS responses and feedback, and the feature requests they ask for."""

    # -- customers ------------------------------------------------------------------------

    def customers(self, *, retired: bool = False) -> list[Customer]:
        """Customers in service, by name; `retired=True` includes the retired ones (which
        pickers and live figures leave out, and history keeps)."""
        if retired:
            return self.all(Customer, "name")
        return self._models(
            Customer, "SELECT * FROM customers WHERE retired_on IS NULL ORDER BY name"
        )

    def customer_rows(self, *, retired: bool = False) -> list[CustomerRow]:
        """`customers` as light rows, for lists, snapshots and the export: the same
        customers in the same order, the same values, without a model per customer."""
        where = "" if retired else "WHERE retired_on IS NULL "
        cursor = self.db.conn.execute(f"SELECT * FROM customers {where}ORDER BY name")
        columns = tuple(column[0] for column in cursor.description)
        fits = set(columns) == _CUSTOMER_COLUMNS
        found: list[CustomerRow] = []
        for values in cursor:
            record = dict(zip(columns, values, strict=True))
            row = _customer_row(record) if fits else None
            found.append(row if row is not None else CustomerRow.of(self._customer(record)))
        return found

    def _customer(self, record: dict[str, Any]) -> Customer:
        """A stored customer as the model reads it (`Store._models`'s way, one row)."""
        try:
            return Customer.model_validate(record)
        except ValidationError as error:
            return self._read_bad_row(Customer, record, error)

    def nps_scores(self, *, retired: bool = False) -> dict[int, list[int]]:
        """The NPS survey scores of every customer in service (`retired=True`: of every
        customer), by customer id."""
        scores: dict[int, list[int]] = defaultdict(list)
        # A score another tool stored out of range or as text is left out (`check` names it).
        for customer_id, score in self.db.execute(
            "SELECT customer_id, score FROM nps_responses "
            "WHERE typeof(score) = 'integer' AND score BETWEEN 0 AND 10 ORDER BY id"
        ).fetchall():
            scores[customer_id].append(score)
        if retired:
            return dict(scores)
        # Few customers are ever retired: leaving them out costs less than joining.
        gone = self.retired_customer_ids()
        return {customer: own for customer, own in scores.items() if customer not in gone}

    def retired_customer_ids(self) -> set[int]:
        """The ids of the customers no longer in service."""
        return {row[0] for row in self.db.execute(_RETIRED_CUSTOMERS).fetchall()}

    def nps_responses(self, customer_id: int) -> list[NpsResponse]:
        return self._models(
            NpsResponse,
            "SELECT * FROM nps_responses WHERE customer_id = ? ORDER BY responded_on DESC, id DESC",
            [customer_id],
        )

    def feedback(self, customer_id: int) -> list[FeedbackEntry]:
        """A customer's feedback log, newest first."""
        return self._models(
            FeedbackEntry,
            "SELECT * FROM feedback WHERE customer_id = ? ORDER BY logged_on DESC, id DESC",
            [customer_id],
        )

    def feature_requests(self) -> list[FeatureRequest]:
        return self.all(FeatureRequest, "title")

    def request_asker_ids(self) -> dict[int, list[int]]:
        """Customer ids who asked for each feature request."""
        askers: dict[int, list[int]] = defaultdict(list)
        for row in self._rows(
            "SELECT request_id, customer_id FROM request_customers ORDER BY request_id, customer_id"
        ):
            askers[row["request_id"]].append(row["customer_id"])
        return dict(askers)

    def customer_names(self) -> list[tuple[int, str, int]]:
        """(id, name, company id) of every customer not retired, by name: for pickers,
        without building a model per customer."""
        return [
            # A company id another tool stored as text or NULL names no company.
            (int(row[0]), str(row[1] or ""), row[2] if isinstance(row[2], int) else 0)
            for row in self.db.execute(
                "SELECT id, name, company_id FROM customers WHERE retired_on IS NULL "
                "ORDER BY name, id"
            ).fetchall()
        ]

    def customer_aliases(self) -> list[tuple[int | None, str]]:
        """(id, name) of every customer, retired ones too: what privacy mode hides."""
        return [
            (row[0] if isinstance(row[0], int) else None, str(row[1] or ""))
            for row in self.db.execute("SELECT id, name FROM customers ORDER BY id").fetchall()
        ]

    def support_tickets_this_week(self) -> int:
        """The support tickets this week of every customer in service, added up (a computed
        KPI; retired customers count in no live figure)."""
        # A count another tool stored as text or below zero is left out (`check` names it).
        row = self.db.execute(
            "SELECT coalesce(sum(tickets_this_week), 0) FROM customers WHERE retired_on IS NULL "
            "AND typeof(tickets_this_week) = 'integer' AND tickets_this_week >= 0"
        ).fetchone()
        return int(row[0])

    def shipped_request_count(self) -> int:
        """How many feature requests have the status shipped (a computed KPI)."""
        row = self.db.execute(
            "SELECT count(*) FROM feature_requests WHERE status = ?", [RequestStatus.SHIPPED.value]
        ).fetchone()
        return int(row[0])

    def link_request_customer(self, request_id: int, customer_id: int) -> None:
        with self.db.atomic():
            self.db.table("request_customers").insert(
                {"request_id": request_id, "customer_id": customer_id}, ignore=True
            )

    def escalated_customers(self) -> list[Customer]:
        """Customers in service with their escalation flag raised."""
        return self._models(
            Customer,
            "SELECT * FROM customers WHERE escalated AND retired_on IS NULL ORDER BY name",
        )

    # -- customers and feedback -----------------------------------------------------------

    def set_customer_escalated(self, customer_id: int, escalated: bool) -> Customer:
        """Raise or clear a customer's escalation flag (a trigger of the escalations)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE customers SET escalated = ? WHERE id = ?", [int(escalated), customer_id]
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"customer {customer_id} no longer exists")
            customer = self.get(Customer, customer_id)
            assert customer is not None
            return customer

    def add_nps_responses(self, responses: Sequence[NpsResponse]) -> list[NpsResponse]:
        """Store survey responses (one, or a batch typed at once) in one transaction; returns
        them with their ids. A customer gone meanwhile stores none of them."""
        with self.db.atomic():
            for customer_id in sorted({response.customer_id for response in responses}):
                if self.get(Customer, customer_id) is None:
                    raise NotFoundError("this customer no longer exists")
            return [self._insert(response) for response in responses]

    def customer_requests(self, customer_id: int) -> list[FeatureRequest]:
        """The feature requests a customer asked for, by title."""
        return self._models(
            FeatureRequest,
            "SELECT r.* FROM feature_requests r "
            "JOIN request_customers rc ON rc.request_id = r.id "
            "WHERE rc.customer_id = ? ORDER BY r.title, r.id",
            [customer_id],
        )

    def request_feedback(self, request_id: int) -> list[FeedbackEntry]:
        """The feedback entries linked to a feature request, newest first."""
        return self._models(
            FeedbackEntry,
            "SELECT * FROM feedback WHERE request_id = ? ORDER BY logged_on DESC, id DESC",
            [request_id],
        )

    def link_feedback(self, feedback_id: int, request: FeatureRequest) -> FeatureRequest:
        """Link a feature-request feedback entry to `request` and count its customer as
        asking for it, in one transaction. A request without an id is stored first (a new
        request created from the entry). Returns the request as stored.

        Raises `NotFoundError` when the entry or the request is gone, and `ValueError` when
        the entry is not a feature request or is already linked to another request.
        """
        # Imported here: this section may not touch the module's imports (shared file).
        from opstui.domain.enums import FeedbackKind

        with self.db.atomic():
            entry = self.get(FeedbackEntry, feedback_id)
            if entry is None:
                raise NotFoundError(f"feedback {feedback_id} no longer exists")
            if entry.kind is not FeedbackKind.FEATURE_REQUEST:
                raise ValueError("only a feature-request entry can be linked to a request")
            if entry.request_id is not None and entry.request_id != request.id:
                raise ValueError("this entry is already linked to another request")
            if request.id is None:
                request = self._insert(request)
            elif self.get(FeatureRequest, request.id) is None:
                raise NotFoundError(f"feature request {request.id} no longer exists")
            self._update(entry.model_copy(update={"request_id": request.id}))
            self.db.table("request_customers").insert(
                {"request_id": request.id, "customer_id": entry.customer_id}, ignore=True
            )
            return request

    # -- for imports ------------------------------------------------------------------------

    def customer_index(self) -> list[tuple[int, str, int, bool]]:
        """(id, name, company id, retired?) of every customer: an import matches names
        against these without building a model per customer."""
        return [
            (int(row[0]), str(row[1] or ""), int(row[2] or 0), row[3] is not None)
            for row in self.db.execute(
                "SELECT id, name, company_id, retired_on FROM customers ORDER BY id"
            ).fetchall()
        ]


_CUSTOMER_COLUMNS = frozenset(Customer.model_fields)
_CHURN_RISKS = {risk.value: risk for risk in ChurnRisk}


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def _day(value: object) -> date | None:
    """A stored YYYY-MM-DD day, else None (whatever else it may be, the model decides)."""
    if type(value) is not str or len(value) != 10:
        return None
    text = value
    if text[4] != "-" or text[7] != "-" or not (text[:4] + text[5:7] + text[8:]).isdigit():
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _customer_row(record: dict[str, Any]) -> CustomerRow | None:
    """A stored customer as a row when every value is one the model takes as it is (the
    values it would hold: text cleaned as its fields clean it), else None: the model reads
    it then, with what it makes of the rest and its problems."""
    name, arr, note, key = (
        record["name"],
        record["arr"],
        record["escalation_note"],
        record["source_key"],
    )
    csm, seats, users, used = (
        record["csm_id"],
        record["seats"],
        record["active_users"],
        record["critical_features_used"],
    )
    renewal, retired = record["renewal_date"], record["retired_on"]
    churn = (
        _CHURN_RISKS.get(record["churn_risk"]) if record["churn_risk"].__class__ is str else None
    )
    if not (
        record["id"].__class__ is int
        and record["company_id"].__class__ is int
        and name.__class__ is str
        and arr.__class__ in (int, float)
        and 0 <= arr <= MONEY_MAX
        and (csm is None or csm.__class__ is int)
        and (seats is None or _count(seats))
        and (users is None or _count(users))
        and (used is None or _count(used))
        and _count(record["tickets_this_week"])
        and _count(record["tickets_last_week"])
        and churn is not None
        and record["escalated"] in (0, 1)
        and record["escalated"].__class__ is int
        and note.__class__ is str
        and (key is None or key.__class__ is str)
    ):
        return None
    renewal_date = None if renewal is None else _day(renewal)
    retired_on = None if retired is None else _day(retired)
    title = clean_line(name)
    if (
        not title
        or (renewal is not None and renewal_date is None)
        or (retired is not None and retired_on is None)
    ):
        return None
    return CustomerRow(
        id=record["id"],
        name=title,
        company_id=record["company_id"],
        arr=float(arr),
        csm_id=csm,
        renewal_date=renewal_date,
        seats=seats,
        active_users=users,
        critical_features_used=used,
        tickets_this_week=record["tickets_this_week"],
        tickets_last_week=record["tickets_last_week"],
        churn_risk=churn,
        escalated=bool(record["escalated"]),
        escalation_note=clean_text(note).strip(),
        # A blank optional value means "not set", as the model reads it.
        source_key=None if key is None or not key.strip() else clean_line(key),
        retired_on=retired_on,
    )

"""A redacted export leaves no customer's name and no amount of money behind.

It is shared outside the team. Whatever the customers are called (Turkish capitals, accents
composed or not, ligatures, Markdown, a 2,000-character name, two customers with one name)
and however the text mentions them (in capitals, broken over lines, in brackets), no name
survives in it; neither does money written into free text ("$12K", "USD 40,000", "€9.5k").
Each customer record is its own "Customer N", the same data gives the same numbers, and
redaction stays fast with thousands of customers and a megabyte of text.
"""

from __future__ import annotations

import html
import re
import sqlite3
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.data.review import freeze_week, review_snapshots
from opstui.domain.enums import (
    ActionPriority,
    ActionStatus,
    BugStatus,
    ChurnRisk,
    DecisionCategory,
    DecisionKind,
    FeedbackKind,
    PersonRole,
    Priority,
    RiskStatus,
)
from opstui.domain.models import (
    ActionItem,
    Bug,
    Company,
    Customer,
    Decision,
    FeatureRequest,
    FeedbackEntry,
    Person,
    Project,
    Risk,
)
from opstui.export.markdown import render_week
from opstui.export.redact import MASKED_MONEY, Redactor

CONFIG = Config()
WEEK, LAST_WEEK = "2026-W28", "2026-W27"
TODAY, LAST_MONDAY = date(2026, 7, 8), date(2026, 7, 1)

# -- what a reader would recognise ------------------------------------------------------------

_ALIAS = re.compile(r"Customer \d+(?:(?:, \d+)* or \d+)?")
_SPACES = re.compile("[\\s\u2028\u2029]+")


def reader_form(text: str) -> str:
    """Text as a reader recognises a name in it: case, accents, ligatures, invisible
    characters and the way lines are broken make no difference."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    kept = "".join(
        "i" if c == "ı" else " " if c.isspace() else c
        for c in folded
        if unicodedata.category(c)[0] != "M" and unicodedata.category(c) not in ("Cc", "Cf")
    )
    return kept


def _joins(char: str) -> bool:
    unspaced = re.match("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u4e00-\u9fff]", char)
    return (char.isalnum() or char == "_") and unspaced is None


def leftovers(redacted: str) -> str:
    """What is left of redacted text once its aliases and masks are taken out."""
    return _ALIAS.sub("\ue000", redacted.replace(MASKED_MONEY, "\ue000"))


def shown(text: str) -> str:
    """Text as the export shows it: no control characters, whitespace folded."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    visible = "".join(c for c in text if c in "\t\n" or unicodedata.category(c) != "Cc")
    return _SPACES.sub(" ", visible).strip()


def survives(name: str, redacted: str) -> bool:
    """Whether `name` can still be read in `redacted` as words of their own."""
    wanted = reader_form(shown(name))
    text = reader_form(shown(leftovers(redacted)))
    start = text.find(wanted)
    while start >= 0:
        end = start + len(wanted)
        if not (_joins(wanted[0]) and start and _joins(text[start - 1])) and not (
            _joins(wanted[-1]) and end < len(text) and _joins(text[end])
        ):
            return True
        start = text.find(wanted, start + 1)
    return False


def searchable(name: str) -> bool:
    """Names are searched for in text when they hold a letter or digit."""
    return any(char.isalnum() for char in reader_form(name))


def digits_left(redacted: str) -> list[str]:
    return [c for c in leftovers(redacted) if unicodedata.category(c) == "Nd"]


# -- the examples of the review, one by one ---------------------------------------------------


def test_a_name_whose_lower_case_is_longer_is_found_however_it_is_written() -> None:
    redact = Redactor([(1, "İzmir Çelik")], active=True)
    nfd = unicodedata.normalize("NFD", "İzmir Çelik")

    for written in ("İzmir Çelik", "İZMİR ÇELİK", "izmir çelik", "Izmir Celik", nfd):
        assert redact.text(f"Call {written} today") == "Call Customer 1 today", written


def test_a_name_broken_over_lines_in_multi_line_text_is_still_found() -> None:
    redact = Redactor([(1, "Harbor & Pine")], active=True)
    note = "Escalate with Harbor &\nPine's CFO.\n\nThen harbor\r\n&   PINE\tagain."

    assert redact.text(note) == "Escalate with Customer 1's CFO. Then Customer 1 again."


@pytest.mark.parametrize(
    "figure",
    [
        "$12K",
        "USD 40,000",
        "€9.5k",
        "12k USD",
        "$1.2M",
        "£300",
        "40 000 EUR",
        "40\u202f000 €",
        "40.000,50 €",
        "5 million dollars",
        "US$ 2,500",
        "$10–20K",
        "¥1,200,000",
        "₹ 4,50,000",
        "Rs. 4,500",
        "CHF 1'200",
        "3.5 pounds sterling",
        "＄１２",
    ],
)
def test_money_written_in_free_text_is_masked_and_other_numbers_stay(figure: str) -> None:
    redact = Redactor([], active=True)

    masked = redact.text(f"Budget: {figure} for the 3 pilots of 2026-W28 (99.9% uptime).")

    assert masked == f"Budget: {MASKED_MONEY} for the 3 pilots of 2026-W28 (99.9% uptime)."


def test_a_customer_renamed_since_last_week_keeps_one_number_for_both_names() -> None:
    redact = Redactor([(7, "Harbor & Pine Group"), (3, "Acme"), (7, "Harbor & Pine")], active=True)

    assert redact.customer("Harbor & Pine Group", 7) == "Customer 2"
    assert redact.customer("Harbor & Pine", 7) == "Customer 2"
    assert redact.text("Harbor & Pine is now Harbor & Pine Group") == (
        "Customer 2 is now Customer 2"
    )


def test_customers_are_numbered_by_name_then_id_whatever_order_they_come_in() -> None:
    customers = [(5, "acme"), (2, "Zed"), (9, "Acme"), (1, "Acme"), (None, "Beta")]
    numbers = {
        (customer_id, name): Redactor(customers, active=True).customer(name, customer_id)
        for customer_id, name in customers
    }

    assert numbers == {
        (1, "Acme"): "Customer 1",
        (9, "Acme"): "Customer 2",
        (5, "acme"): "Customer 3",
        (None, "Beta"): "Customer 4",
        (2, "Zed"): "Customer 5",
    }
    for order in (customers[::-1], sorted(customers, key=str)):
        shuffled = Redactor(order, active=True)
        assert {key: shuffled.customer(key[1], key[0]) for key in numbers} == numbers
    # Text cannot tell customers of one name apart: it names all of them.
    assert Redactor(customers, active=True).text("Ask ACME") == "Ask Customer 1, 2 or 3"


def test_names_are_whole_words_even_across_lines_and_in_unspaced_scripts() -> None:
    redact = Redactor([(1, "Co"), (2, "Harbor & Pine"), (3, "株式会社テスト")], active=True)

    assert redact.text("Company A and Harbor &\nPine asked CO. about Cobalt and co-op") == (
        "Company A and Customer 2 asked Customer 1. about Cobalt and Customer 1-op"
    )
    assert redact.text("株式会社テストの件") == "Customer 3の件"


def test_redacting_stays_fast_with_five_thousand_customers_and_long_names() -> None:
    syllables = ["ka", "lo", "mi", "ne", "ra", "to", "vi", "zu", "çe", "ür", "ğa", "ß"]
    names = sorted(
        {
            " ".join(
                "".join(syllables[(n * 7 + w * 3 + s) % len(syllables)] for s in range(2 + n % 3))
                for w in range(1 + n % 3)
            )
            + f" {n}"
            for n in range(5000)
        }
    )
    long_name = ("Nordwind Logistik und Söhne " * 80)[:2000].strip()
    customers = [*enumerate(names), (5000, long_name), (5001, "a"), (5002, "a a a a a a a a")]
    started = time.perf_counter()
    redact = Redactor(customers, active=True)
    text = " ".join(f"Call {names[n * 37 % 5000].upper()} about $12K." for n in range(8000))
    text += f" {long_name.upper()} " + "a " * 50_000 + "000 " * 25_000 + "1-" * 50_000
    redacted = redact.text(text)
    elapsed = time.perf_counter() - started

    assert len(text) > 500_000
    assert not survives(names[0], redacted) and not survives(long_name, redacted)
    assert "$12K" not in redacted and "Customer 5001" in redacted
    assert elapsed < 30, f"{elapsed:.1f}s"


# -- any names, any text: nothing survives ----------------------------------------------------

_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
    min_size=1,
    max_size=8,
)
NAMES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
    st.lists(_WORDS, min_size=1, max_size=4).map(" ".join),
    st.sampled_from(
        ["İzmir Çelik", "Harbor & Pine", "ǅemal Straße", "ﬁne Foods", "Ελληνική Σοφία", "Co"]
    ),
    # Long names: hundreds to thousands of characters.
    st.tuples(_WORDS, st.integers(30, 300)).map(lambda w: " ".join([w[0]] * w[1])),
).filter(lambda name: searchable(name) and "\ue000" not in name)

_BREAKS = st.sampled_from([" ", "\n", "\t", "  ", "\r\n", "\u00a0", "\u2028", " \n "])
_SEPARATORS = st.sampled_from([" ", "\n", ", ", " (", ") ", ". ", ": ", " — ", "; ", "\n\n", "/"])
_FILLER = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Nd"), blacklist_characters="\ue000"),
    max_size=12,
)
_DIGITS = ["0123456789", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "０１２３４５６７８９"]


@st.composite
def variants(draw: st.DrawFn, name: str) -> str:
    """`name` as someone might type it: words in other cases, broken over lines."""
    case = st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase, str.casefold])
    words = [draw(case)(word) for word in shown(name).split(" ")]
    return "".join(word + draw(_BREAKS) for word in words[:-1]) + words[-1]


@st.composite
def money(draw: st.DrawFn, digits: Sequence[str] = _DIGITS) -> str:
    """An amount written the many ways people write money."""
    whole = draw(st.integers(1, 999))
    groups = draw(st.lists(st.integers(0, 999), max_size=3))
    separator = draw(st.sampled_from([",", ".", " ", "\u202f", "'"]))
    number = str(whole) + "".join(f"{separator}{group:03d}" for group in groups)
    if draw(st.booleans()):
        number += draw(st.sampled_from([".", ","])) + str(draw(st.integers(0, 99)))
    number = number.translate(str.maketrans("0123456789", draw(st.sampled_from(digits))))
    magnitude = draw(st.sampled_from(["", "k", "K", "M", "m", "bn", " million", " thousand"]))
    symbol = draw(st.sampled_from(["$", "€", "£", "¥", "₹", "₩", "₺", "₪", "＄", "US$", "A$"]))
    code = draw(st.sampled_from(["USD", "EUR", "GBP", "CHF", "JPY", "CAD", "usd", "Eur"]))
    word = draw(st.sampled_from(["dollars", "euros", "pounds", "yen", "rupees", "Dollars"]))
    form = draw(
        st.sampled_from(
            [
                "{symbol}{number}{magnitude}",
                "{symbol} {number}{magnitude}",
                "{code} {number}{magnitude}",
                "{code}{number}{magnitude}",
                "{number}{magnitude} {code}",
                "{number}{magnitude}{symbol}",
                "{number}{magnitude} {symbol}",
                "{number}{magnitude} {word}",
                "{symbol}{number}–{number}{magnitude}",
            ]
        )
    )
    return form.format(symbol=symbol, code=code, word=word, number=number, magnitude=magnitude)


@st.composite
def free_text(draw: st.DrawFn, names: Sequence[str], digits: Sequence[str] = _DIGITS) -> str:
    """Text that mentions the names and money, between words and punctuation."""
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(names).flatmap(variants),
                money(digits),
                _FILLER,
            ),
            min_size=1,
            max_size=10,
        )
    )
    return "".join(piece + draw(_SEPARATORS) for piece in pieces)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAMES, min_size=1, max_size=5), st.data())
def test_no_name_and_no_amount_survives_redaction_of_any_text(
    names: list[str], data: st.DataObject
) -> None:
    redact = Redactor(list(enumerate(names)), active=True)
    text = data.draw(free_text(names))

    redacted = redact.text(text)

    for name in names:
        assert not survives(name, redacted), (name, redacted)
    assert digits_left(redacted) == [], redacted


# -- the real export --------------------------------------------------------------------------

PAYLOAD_NAMES = [
    "İzmir Çelik",
    "Harbor & Pine",
    "Acme",
    "Acme",
    "*Bold* [Corp](javascript:alert(1))",
    "<b>Zed</b> | Pipe & `Tick`",
    "ǅemal Straße GmbH",
    "ﬁne Foods",
    unicodedata.normalize("NFD", "Café Ñandú"),
    "O'Brien-McKay (EU)",
    "Ελληνική Σοφία",
    "株式会社テスト",
    ("Nordwind Logistik und Söhne " * 80)[:2000].strip(),
]
MONEY_IN_TEXT = ["$98,765", "USD 87,654", "€76.5k", "65k USD", "$5.43M", "£4321", "32 109 EUR"]
"""Amounts whose figures appear nowhere else in the export."""


def mentions(names: Sequence[str], amounts: Sequence[str]) -> Iterator[str]:
    """Free text naming every customer, each way of writing it in turn, with an amount."""
    ways = [
        lambda n: n,
        str.upper,
        str.lower,
        lambda n: n.replace(" ", "\n"),
        lambda n: f"({n})",
        lambda n: f"{n}'s",
    ]
    turn = 0
    while True:
        for name in names:
            yield f"Call {ways[turn % len(ways)](name)} about {amounts[turn % len(amounts)]}."
            turn += 1


def build_workspace(path: Path, names: Sequence[str], amounts: Sequence[str]) -> None:
    """A workspace whose customers have `names`, and whose every free text names them."""
    said = mentions(names, amounts)

    def text(count: int = 2) -> str:
        return "\n".join(next(said) for _ in range(count))

    repo = Repository.create(path)
    try:
        first = repo.add(Company(name="Northwind Group"))
        second = repo.add(Company(name="Southwind Group"))
        owner = repo.add(Person(name="Dana Reyes", role=PersonRole.PRODUCT_MANAGER))
        assert first.id is not None and second.id is not None and owner.id is not None
        customers = [
            repo.add(
                Customer(
                    name=name,
                    company_id=(first.id, second.id)[index % 2],
                    arr=120_000 + index,
                    churn_risk=ChurnRisk.HIGH,
                    escalated=index % 3 == 0,
                    escalation_note=text(),
                )
            )
            for index, name in enumerate(names)
        ]
        for index, customer in enumerate(customers):
            assert customer.id is not None
            repo.add(
                FeedbackEntry(
                    customer_id=customer.id,
                    logged_on=LAST_MONDAY,
                    kind=FeedbackKind.PAIN_POINT,
                    text=text(),
                )
            )
            request = repo.add(FeatureRequest(title=next(said)))
            assert request.id is not None
            repo.link_request_customer(request.id, customer.id)
            project = repo.add_project(
                Project(
                    name=f"{next(said)} #{index}",
                    company_id=first.id,
                    next_milestone=next(said),
                    milestone_date=date(2026, 7, 20),
                    baseline_completion=date(2026, 6, 1),
                    completion_date=date(2026, 7, 31),
                    pm_id=owner.id,
                ),
                date(2026, 5, 1),
            )
            assert project.id is not None
            repo.add(
                Bug(
                    title=next(said),
                    company_id=second.id,
                    priority=(Priority.P0, Priority.P1)[index % 2],
                    status=BugStatus.OPEN,
                    opened_at=datetime(2026, 7, 1, 9, 0),
                    customers_affected=2,
                    revenue_impact=50_000 + index,
                    root_cause=text(),
                    prevention=text(),
                )
            )
            repo.add(
                ActionItem(
                    what=next(said),
                    owner_id=owner.id,
                    due_date=date(2026, 7, 1),
                    company_id=first.id,
                    priority=ActionPriority.HIGH,
                    status=ActionStatus.BLOCKED,
                    week=WEEK,
                )
            )
            repo.add(
                Decision(
                    what=next(said),
                    context=text(),
                    recommendation=text(),
                    kind=DecisionKind.FOLLOW_UP,
                    category=DecisionCategory.PARTNERSHIP,
                    week=WEEK,
                    raised_at=datetime(2026, 7, 6, 9, 0),
                    decided_at=datetime(2026, 7, 7, 9, 0),
                )
            )
            repo.add(Risk(risk=next(said), owner_id=owner.id, mitigation=text()))
            repo.save_meeting_note(WEEK, f"section {index}", text())
        # Last week is frozen before one more escalation and the renames, so that the
        # change list has something to say about customers.
        freeze_week(
            repo,
            LAST_WEEK,
            today=LAST_MONDAY,
            now=datetime(2026, 7, 3, 17, 0),
            targets=CONFIG.targets,
            health=CONFIG.health,
        )
        for customer in customers[1::3]:
            assert customer.id is not None
            repo.set_customer_escalated(customer.id, True)
    finally:
        repo.close()
    # Text the validated API would fold to one line, written as another tool could.
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE action_items SET what = ? WHERE id = 1", [f"{next(said)}\n{next(said)}"]
        )
        connection.execute("UPDATE risks SET status = ? WHERE id = 1", [RiskStatus.OPEN.value])
    connection.close()


def redacted_export(path: Path) -> str:
    repo = Repository.open_readonly(path)
    try:
        snapshot, previous = review_snapshots(repo, WEEK, TODAY, CONFIG.targets, CONFIG.health)
    finally:
        repo.close()
    return render_week(snapshot, previous, redact=True)


def as_read(document: str) -> list[str]:
    """The document as a reader meets it: the Markdown source with its escapes read, and
    the page GitHub would show, as plain text."""
    source = html.unescape(re.sub(r"\\(.)", r"\1", document))
    page = html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt("gfm-like").render(document)))
    return [source, page]


@cache
def payload_export() -> str:
    """The redacted export of a workspace whose customers are `PAYLOAD_NAMES`."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "payloads.db"
        build_workspace(path, PAYLOAD_NAMES, MONEY_IN_TEXT)
        return redacted_export(path)


def test_the_redacted_export_names_no_customer_anywhere() -> None:
    for reading in as_read(payload_export()):
        for name in PAYLOAD_NAMES:
            assert not survives(name, reading), name
    assert "Customer 13" in payload_export()


def test_the_redacted_export_shows_no_money_anywhere() -> None:
    for reading in as_read(payload_export()):
        for amount in MONEY_IN_TEXT:
            figure = re.sub(r"[^\d.,\s]", "", amount).strip()
            assert figure not in reading, amount
        shown_money = r"[$€£¥]\s?\d|\d\s?(?:[$€£¥]|USD|EUR)"
        assert re.findall(shown_money, leftovers(reading)) == []
    assert payload_export().count(f"\\{MASKED_MONEY}") > 50


def test_two_customers_with_one_name_are_two_customers_in_the_export() -> None:
    document = payload_export()
    table = document.split("## Customer health", 1)[1].split("\n## ", 1)[0]

    aliases = re.findall(r"^\| (Customer \d+) \|", table, re.MULTILINE)
    assert sorted(aliases) == sorted(f"Customer {n}" for n in range(1, len(PAYLOAD_NAMES) + 1))
    # By name, "*Bold*…" and "<b>Zed…" come first, then the two called Acme: text about
    # "Acme" names both.
    assert "Call Customer 3 or 4 about" in document


@cache
def vocabulary() -> str:
    """Every word the export writes by itself, around any data."""
    return "\n".join(as_read(payload_export()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAMES, min_size=1, max_size=4), st.data())
def test_any_customer_names_leave_no_trace_in_the_redacted_export(
    names: list[str], data: st.DataObject
) -> None:
    # A name made only of words the export itself writes ("Risks", "P0") cannot be told
    # from them; those aside, anything goes.
    assume(all(not survives(name, vocabulary()) for name in names))
    other_digits = _DIGITS[1:]  # the export writes ASCII digits of its own
    amounts = [data.draw(money(other_digits)) for _ in range(3)]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "any.db"
        build_workspace(path, names, amounts)
        document = redacted_export(path)

    for reading in as_read(document):
        for name in names:
            assert not survives(name, reading), name
        assert [c for c in digits_left(reading) if not c.isascii()] == []

"""Redaction for sharing an export outside the team: customer names and money masked.

Every customer record becomes "Customer 1", "Customer 2", … numbered in name order, then
by id: two customers with the same name get two numbers, a customer renamed since last
week keeps its number, and the same data gets the same numbers in every export.

A customer's name is also replaced wherever it appears inside other text (an action item
"Call Harbor & Pine's CFO", a bug title, a project name). The search runs on the text as
the export shows it (control characters removed, line breaks and runs of whitespace folded
to one space) and compares caseless, accent-blind forms (case folding, compatibility
decomposition, combining marks and invisible format characters dropped), so "İZMİR ÇELİK",
"Izmir Celik" and "Harbor &⏎Pine" are all found. Names match as whole words: a customer
"Co" leaves "Company A" alone (letters of scripts written without spaces, such as Chinese
or Thai, are no word boundary to wait for). Where several names could match, the one that
starts first wins, then the longest. Text that names two customers sharing a name reads
"Customer 3 or 4". A name with no letter or digit in it is not searched for in text (it
would match every "&").

One Aho–Corasick scan per text finds every name at once, so the time is linear in the
length of the text (plus the matches found), however many customers there are and however
long their names; nothing recurses, whatever a name's length.

Every money figure (ARR, pipeline, revenue impact) shows as `MASKED_MONEY`, and so does
money written in free text: an amount next to a currency symbol, code or word ("$12K",
"USD 40,000", "€9.5k", "12k USD", "$1.2M", "£300", "40 000 EUR", "5 million dollars").
Other numbers ("3 pilots", "99.9%", "2026-W28") stay. Names of the team's own companies and
people, and the export's own labels, are not customer data and are shown as they are.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import accumulate

from opstui.domain.text import clean_text

MASKED_MONEY = "$•••"

# What the export's `inline` folds: line breaks of every kind, tabs and runs of spaces.
_WHITESPACE = re.compile("[\\s\u2028\u2029]+")

# -- money in free text -----------------------------------------------------------------------

# Unicode's currency symbols (category Sc), listed rather than computed at import.
_SYMBOL = "[$¢£¤¥֏؋߾߿৲৳৻૱௹฿៛\u20a0-\u20cf꠸﷼﹩＄￠￡￥￦\U00011fdd-\U00011fe0\U0001e2ff\U0001ecb0]"


def _one_of(fragments: str) -> str:
    """An alternation of the regex `fragments`, grouped by first letter: the engine then
    tries one group at a word's start, not every fragment."""
    groups: dict[str, list[str]] = {}
    for fragment in fragments.split():
        groups.setdefault(fragment[0], []).append(fragment[1:])
    return "(?:" + "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items()) + ")"


# ISO 4217 codes people write next to amounts ("USD 40", "USD40", "40USD"); codes that are
# also words ("TRY", "PEN", "COP", "PHP", "ALL", "TOP") are left out: "try 5 times" stays.
_CODES = (
    r"(?:(?i:"
    + _one_of(
        "USD EUR GBP JPY CHF CAD AUD NZD CNY RMB HKD SGD INR IDR KRW TWD THB MYR VND BRL MXN"
        " ARS CLP UYU SEK NOK DKK ISK PLN CZK HUF BGN RUB UAH ILS AED SAR QAR KWD EGP ZAR NGN"
        " KES"
    )
    + r")(?![^\W\d])|Rs\b\.?)"
)
_WORDS = (
    r"(?i:\b"
    + _one_of(
        r"dollars? bucks euros? pounds?(?:\s?sterling)? quid yen yuan renminbi rupees? pesos?"
        r" francs? kron(?:a|e|or|er|ur) zlotys? roubles? rubles? liras? lire dirhams? riyals?"
        r" shekels? baht ringgit reais"
    )
    + r"\b)"
)
# A currency written before an amount ("$", "US$", "USD") or after one (also "dollars").
_BEFORE = rf"(?:(?=[A-Za-z]|{_SYMBOL})(?:(?:\b[A-Za-z]{{1,3}})?{_SYMBOL}|\b{_CODES}))"
_AFTER = rf"(?:(?=[A-Za-z]|{_SYMBOL})(?:(?:[A-Za-z]{{1,3}})?{_SYMBOL}|{_CODES}|{_WORDS}))"
# An amount: digits with grouping and decimals ("40,000.50", "40.000,50", "40 000", "1'000"),
# then a magnitude ("12K", "1.2M", "5 million", "5kUSD"), or a range ("$10-20K", "$5 to
# $8"). The number is atomic, repetitions are bounded, every alternative is guarded by its
# first character, and a number never starts inside another (after a digit, or a digit and
# a separator or dash): the scan stays linear whatever the text holds (a megabyte of
# digits, of "000 000 …", of "1-1-1-…").
_NUMBER = (
    r"(?>\d++(?:[.,'’]\d++|[ \u00a0\u2009\u202f]\d{3}(?!\d)){0,8}+|[.,]\d++)"
    r"(?:\s?(?=[A-Za-z])(?i:k|m|mm|mn|b|bn|t|tn|thousand|million|billion|trillion"
    rf"|lakhs?|crores?|grand)(?:\b|(?={_AFTER})))?"
)
_AMOUNT = rf"{_NUMBER}(?:\s?(?:[-–—]|to\b)\s?(?:{_BEFORE}\s?)?{_NUMBER}){{0,3}}+"


@cache
def _money_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Currency first ("$12K", "USD 40,000") and currency last ("12k USD", "9.5k€"), looked
    for apart so that "1 USD 2" masks both numbers; compiled on first use, not at import
    (an export that does not redact never needs them)."""
    return (
        re.compile(rf"{_BEFORE}\s?{_AMOUNT}"),
        re.compile(rf"(?<!\d)(?<!\d[.,'’\-–—])(?=[\d.,]){_AMOUNT}\s?{_AFTER}"),
    )


def _money(shown: str) -> list[tuple[int, int, str]]:
    """Where amounts of money are in `shown`, none overlapping, each to be masked."""
    found = sorted(
        match.span() for pattern in _money_patterns() for match in pattern.finditer(shown)
    )
    spans: list[tuple[int, int, str]] = []
    for start, end in found:
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]), MASKED_MONEY)
        else:
            spans.append((start, end, MASKED_MONEY))
    return spans


# -- caseless, accent-blind forms -------------------------------------------------------------


def _shown(text: str) -> str:
    """`text` as the export shows it, before escaping: cleaned, whitespace folded."""
    return _WHITESPACE.sub(" ", clean_text(text)).strip()


@lru_cache(maxsize=8192)
def _char_key(char: str) -> str:
    """What one character compares as: case-folded, decomposed, marks and format
    characters dropped ("İ" → "i", "Ç" → "c", "ß" → "ss", "ﬁ" → "fi", a zero-width
    space → "")."""
    if char.isspace():
        return " "
    # Dotless ı is the one letter whose upper case ("I") folds to another letter.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    return "".join(
        "i" if c == "ı" else " " if c.isspace() else c
        for c in folded
        if unicodedata.category(c)[0] != "M" and unicodedata.category(c) not in ("Cc", "Cf")
    )


def _keyed(shown: str) -> tuple[str, list[int] | None]:
    """The compared form of `shown` and, when it is not one character for one, where in it
    each character of `shown` ends (a running total of their lengths)."""
    if shown.isascii():
        return shown.lower(), None
    table = {char: _char_key(char) for char in set(shown)}
    key = shown.translate({ord(char): folded for char, folded in table.items()})
    if all(len(folded) == 1 for folded in table.values()):
        return key, None
    return key, list(accumulate(map(len, map(table.__getitem__, shown))))


def _name_key(name: str) -> str:
    return _keyed(_shown(name))[0]


# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, CJK):
# their letters do not join a name to its neighbours, so "東京のAcme社" names Acme.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
_IS_UNSPACED = re.compile(f"[{_UNSPACED}]").match


def _joins(char: str) -> bool:
    """Whether `char` continues a word: a letter, digit or underscore of a spaced script."""
    return (char.isalnum() or char == "_") and _IS_UNSPACED(char) is None


# -- every name at once -----------------------------------------------------------------------


class _Names:
    """An Aho–Corasick automaton over the compared forms of the customers' names."""

    def __init__(self, mentions: dict[str, str]) -> None:
        self._goto: list[dict[str, int]] = [{}]
        self._pattern: list[int] = [-1]  # the name ending at a node, or -1
        self._keys = list(mentions)
        self._mentions = [mentions[key] for key in self._keys]
        for number, key in enumerate(self._keys):
            node = 0
            for char in key:
                child = self._goto[node].get(char)
                if child is None:
                    child = len(self._goto)
                    self._goto[node][char] = child
                    self._goto.append({})
                    self._pattern.append(-1)
                node = child
            self._pattern[node] = number
        # Failure links breadth first (no recursion: a name may be thousands of characters
        # long), and for each node the nearest name ending at a suffix of it.
        self._fail = [0] * len(self._goto)
        self._output = [-1] * len(self._goto)
        queue = deque(self._goto[0].values())
        while queue:
            node = queue.popleft()
            for char, child in self._goto[node].items():
                queue.append(child)
                fallback = self._fail[node]
                while fallback and char not in self._goto[fallback]:
                    fallback = self._fail[fallback]
                target = self._goto[fallback].get(char, 0)
                self._fail[child] = target if target != child else 0
                suffix = self._fail[child]
                self._output[child] = suffix if self._pattern[suffix] >= 0 else self._output[suffix]
        self._lengths = [len(key) for key in self._keys]
        self._starts_word = [_joins(key[0]) for key in self._keys]
        self._ends_word = [_joins(key[-1]) for key in self._keys]
        # Where a name can start: at the start of a word, or anywhere for a name that
        # starts with punctuation. Between such places the scan jumps ahead (in C).
        firsts = {key[0] for key in self._keys}
        word_firsts = "".join(sorted(re.escape(c) for c in firsts if _joins(c)))
        other_firsts = "".join(sorted(re.escape(c) for c in firsts if not _joins(c)))
        self._start = re.compile(
            "|".join(
                ([f"(?<!(?![{_UNSPACED}])\\w)[{word_firsts}]"] if word_firsts else [])
                + ([f"[{other_firsts}]"] if other_firsts else [])
            )
        )

    def find(self, key: str) -> list[tuple[int, int, int]]:
        """The names in `key`, leftmost first and longest at each start, none overlapping,
        whole words where a name starts or ends with a letter or digit: (start, end, name)."""
        goto, fail, pattern, output = self._goto, self._fail, self._pattern, self._output
        lengths, starts_word, ends_word = self._lengths, self._starts_word, self._ends_word
        next_start = self._start.search
        size = len(key)
        longest: dict[int, tuple[int, int]] = {}
        node = index = 0
        while index < size:
            if not node:
                # Nothing under way: no match can start before the next possible start.
                upcoming = next_start(key, index)
                if upcoming is None:
                    break
                index = upcoming.start()
            char = key[index]
            index += 1
            child = goto[node].get(char)
            while child is None and node:
                node = fail[node]
                child = goto[node].get(char)
            node = child or 0
            hit = node if pattern[node] >= 0 else output[node]
            while hit > 0:
                number = pattern[hit]
                start = index - lengths[number]
                if (
                    not (starts_word[number] and start and _joins(key[start - 1]))
                    and not (ends_word[number] and index < size and _joins(key[index]))
                    and longest.get(start, (0, 0))[0] < index
                ):
                    longest[start] = (index, number)
                hit = output[hit]
        found = []
        covered = 0
        for start in sorted(longest):
            end, number = longest[start]
            if start >= covered:
                found.append((start, end, number))
                covered = end
        return found

    def replace(self, shown: str) -> list[tuple[int, int, str]]:
        """Where names are in `shown` (start, end) and what replaces each."""
        key, ends = _keyed(shown)
        spans: list[tuple[int, int, str]] = []
        covered = 0
        for start, end, number in self.find(key):
            if ends is not None:
                # From the character holding the match's first compared character through
                # the one holding its last, and over what follows that compares as nothing
                # (a combining accent).
                start, end = (
                    bisect_right(ends, start),
                    max(bisect_right(ends, end), bisect_right(ends, end - 1) + 1),
                )
            start = max(start, covered)
            if start < end:
                spans.append((start, end, self._mentions[number]))
                covered = end
        return spans


def _mention(numbers: list[int]) -> str:
    """How text names the customers sharing a name: "Customer 3", "Customer 3 or 4"."""
    words = [str(number) for number in sorted(numbers)]
    if len(words) == 1:
        return f"Customer {words[0]}"
    return f"Customer {', '.join(words[:-1])} or {words[-1]}"


def _merged(
    names: list[tuple[int, int, str]], money: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Name and money spans as one list without overlaps. A span inside another goes (a
    customer "$5 Dinners", an amount "5 EUR" beside a customer "EUR"); spans that overlap
    become one, with both replacements ("5 Euro Partners" → "$••• Customer 2")."""
    if not money:
        return names
    if not names:
        return money
    # Names first where both start at once, so that the longer or the name wins a tie.
    spans = sorted(names + money, key=lambda span: (span[0], -span[1]))
    merged: list[tuple[int, int, str]] = []
    for start, end, replacement in spans:
        if merged and start < merged[-1][1]:
            first, last, replaced = merged[-1]
            if end > last:
                merged[-1] = (first, end, f"{replaced} {replacement}")
            continue
        merged.append((start, end, replacement))
    return merged


class Redactor:
    """How names and money read in an export: as they are, or masked.

    `customers` are (id, name) pairs, this week's first, then last week's: each id is one
    customer, whatever names it had; a pair without an id (an old snapshot's) is the
    customer of that name given before it, or a customer of its own.
    """

    def __init__(
        self, customers: Iterable[tuple[int | None, str]] = (), *, active: bool = False
    ) -> None:
        self.active = active
        self._by_id: dict[int | str, str] = {}
        self._by_name: dict[str, str] = {}
        self._names: _Names | None = None
        if not active:
            return  # names read as they are: no alias is ever asked for
        records: dict[tuple[int, int | str], list[str]] = {}
        record_of_name: dict[str, tuple[int, int | str]] = {}
        for customer_id, name in customers:
            record = (
                (0, customer_id) if customer_id is not None else record_of_name.get(name, (1, name))
            )
            names = records.setdefault(record, [])
            if name not in names:
                names.append(name)
            record_of_name.setdefault(name, record)
        order = sorted(records, key=lambda r: (records[r][0].casefold(), records[r][0], r))
        number_of = {record: number for number, record in enumerate(order, 1)}
        self._by_id = {r[1]: f"Customer {n}" for r, n in number_of.items() if r[0] == 0}
        self._by_name = {name: f"Customer {number_of[r]}" for name, r in record_of_name.items()}
        numbers: dict[str, set[int]] = {}
        for record, names in records.items():
            for name in names:
                key = _name_key(name)
                if any(char.isalnum() for char in key):
                    numbers.setdefault(key, set()).add(number_of[record])
        if numbers:
            self._names = _Names({k: _mention(list(n)) for k, n in sorted(numbers.items())})

    def customer(self, name: str, customer_id: int | None = None) -> str:
        """A customer's name, or its alias when redacting (by id when it has one)."""
        if not self.active:
            return name
        alias = self._by_id.get(customer_id) if customer_id is not None else None
        return alias or self._by_name.get(name) or self.text(name)

    def text(self, text: str) -> str:
        """Free text, with every customer name and money amount in it replaced when
        redacting; the result is on one line, as the export shows it."""
        if not self.active:
            return text
        shown = _shown(text)
        names = [] if self._names is None else self._names.replace(shown)
        money = _money(shown)
        parts = []
        position = 0
        for start, end, replacement in _merged(names, money):
            parts += [shown[position:start], replacement]
            position = end
        parts.append(shown[position:])
        return "".join(parts)

    def money(self, value: float | None) -> str:
        """An amount of money in dollars ("$180,000"), or `MASKED_MONEY`; "—" when unknown."""
        if value is None:
            return "—"
        if self.active:
            return MASKED_MONEY
        return f"${value:,.0f}"

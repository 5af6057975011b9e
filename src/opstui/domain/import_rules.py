"""How the words of other tools' exports map onto opstui's: priorities, flags, skipped issue
types. Defaults here are the documented mapping (README, "Importing"); the `[imports]` section
of `config.toml` may override any of them. Pure data: the importers live in
`opstui.data.importing`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from opstui.domain.enums import Priority

UNTRIAGED = "untriaged"
"""The value that maps a tracker's priority to no priority: the bug waits in the inbox."""


def _folded(mapping: dict[str, str]) -> dict[str, str]:
    """Keys compared without case or surrounding spaces; values checked to be P0–P3 or
    `untriaged`."""
    allowed = {priority.value for priority in Priority} | {UNTRIAGED}
    folded: dict[str, str] = {}
    for key, value in mapping.items():
        target = value.strip()
        if target.upper() in allowed:
            target = target.upper()
        elif target.casefold() == UNTRIAGED:
            target = UNTRIAGED
        else:
            raise ValueError(f"{key!r} maps to {value!r}; use P0, P1, P2, P3 or {UNTRIAGED}")
        folded[" ".join(key.split()).casefold()] = target
    return folded


class ImportRules(BaseModel):
    """The mapping of every importer, by source."""

    model_config = ConfigDict(extra="forbid")

    jira_priorities: dict[str, str] = {
        "highest": "P0",
        "blocker": "P0",
        "high": "P1",
        "critical": "P1",
        "medium": "P2",
        "major": "P2",
        "low": "P3",
        "lowest": "P3",
        "minor": "P3",
        "trivial": "P3",
    }
    """Jira's priority names to P0–P3 (or `untriaged`); an unknown or empty priority is
    untriaged."""
    jira_skipped_types: list[str] = [
        "epic",
        "story",
        "task",
        "sub-task",
        "subtask",
        "new feature",
        "improvement",
        "initiative",
        "spike",
    ]
    """Jira issue types that are not bugs: their rows are counted as skipped."""
    linear_priorities: dict[str, str] = {
        "urgent": "P0",
        "high": "P1",
        "medium": "P2",
        "low": "P3",
        "no priority": UNTRIAGED,
        "1": "P0",
        "2": "P1",
        "3": "P2",
        "4": "P3",
        "0": UNTRIAGED,
    }
    """Linear's priority names (or numbers) to P0–P3 (or `untriaged`)."""
    github_priority_labels: dict[str, str] = {
        "p0": "P0",
        "p1": "P1",
        "p2": "P2",
        "p3": "P3",
        "priority: critical": "P0",
        "priority: urgent": "P0",
        "priority: high": "P1",
        "priority: medium": "P2",
        "priority: low": "P3",
    }
    """GitHub labels that set a priority; the highest one wins, none leaves it untriaged."""
    security_labels: list[str] = ["security", "compliance", "vulnerability"]
    """Labels (any source) that raise a bug's security/compliance flag."""
    customer_label_prefix: str = "customer:"
    """A label `customer:Meridian Bank` links the bug to the customer of that name."""

    @field_validator("jira_priorities", "linear_priorities", "github_priority_labels")
    @classmethod
    def _priorities(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        """Words given in the config replace the default's for those words only."""
        assert info.field_name is not None
        default = cls.model_fields[info.field_name].default
        return {**default, **_folded(value)}

    @field_validator("jira_skipped_types", "security_labels")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        return [" ".join(word.split()).casefold() for word in value]

    def priority(self, mapping: dict[str, str], word: str) -> Priority | None:
        """The priority `word` maps to in `mapping`; None for untriaged or unknown."""
        target = mapping.get(" ".join(word.split()).casefold())
        return None if target is None or target == UNTRIAGED else Priority(target)

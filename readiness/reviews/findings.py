"""What a warning-sign rule returns: plain data, the same for pages, portfolio and dossier."""

from dataclasses import dataclass, field
from enum import StrEnum


class FindingSeverity(StrEnum):
    BLOCKER = "blocker"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return ["blocker", "high", "medium", "low"].index(self.value)


@dataclass(frozen=True)
class ItemRef:
    """An item a finding points at: register kind (a SPECS key), primary key, display name."""

    kind: str
    pk: int
    name: str


@dataclass(frozen=True)
class Finding:
    rule: str  # rule key, e.g. "informal_handoff"
    check: str  # check key the finding belongs to
    severity: FindingSeverity
    title: str  # short: "Handoff runs on a spreadsheet"
    message: str  # one sentence naming the cause
    items: tuple[ItemRef, ...] = field(default=())

    @property
    def key(self) -> str:
        """Stable identity, used to record an acceptance of exactly this finding."""
        if not self.items:
            # Project-level findings have no items; their title tells them apart.
            return f"{self.rule}|project:{self.title}"
        refs = ",".join(
            f"{i.kind}:{i.pk}" for i in sorted(self.items, key=lambda i: (i.kind, i.pk))
        )
        return f"{self.rule}|{refs}"

"""The shape of a check definition. The five checks themselves live in `checks.py` as data."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str  # stable, snake_case; answers are stored under it
    prompt: str  # the question, in our own words
    help: str  # one or two sentences: what a good answer looks like
    evidence: str = ""  # key of an evidence function in reviews/evidence.py, or ""


@dataclass(frozen=True)
class CheckDefinition:
    number: int  # 1..5
    key: str  # "data", "handoffs", "exceptions", "reporting", "ownership"
    title: str
    question_behind: str  # the one-sentence question behind the check (DESIGN §4)
    purpose: str  # a short paragraph shown at the top of the check
    register: str  # register kind shown in step 1 (a key of registers.specs.SPECS)
    rules: tuple[str, ...]  # keys of warning-sign rules whose findings belong to this check
    questions: tuple[Question, ...]
    version: int = 1

"""XLSForm skip logic (``relevant``) for the web and paper forms: the part of the XPath
language survey forms use — comparisons of answers with literals, ``selected()``, ``and``,
``or``, ``not()`` and parentheses. Anything else is refused when the form is checked, not
guessed at while a citizen is answering.

>>> relevant("${used} = 'yes' and not(${age} < 18)", {"used": "yes", "age": "40"})
True
>>> relevant("selected(${channels}, 'web') or ${used} != 'yes'", {"channels": "paper web"})
True
>>> relevant("${used} = 'yes'", {})
False
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from parindex.core.errors import ParindexError


class SkipLogicError(ParindexError):
    pass


_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>!=|<=|>=|=|<|>|\(|\)|,)"
    r"|(?P<word>and|or|not|selected|true|false)\b)"
)

Answers = Mapping[str, str]
Expression = Callable[[Answers], object]


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise SkipLogicError(f"cannot read '{text[position:]}' in '{text}'")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def compile_relevant(text: str) -> Expression:
    """The expression as a function of the answers so far; raises ``SkipLogicError``."""
    tokens = _tokens(text)
    position = 0

    def peek() -> tuple[str, str]:
        return tokens[position] if position < len(tokens) else ("end", "")

    def take(value: str | None = None) -> tuple[str, str]:
        nonlocal position
        token = peek()
        if value is not None and token[1] != value:
            raise SkipLogicError(f"expected '{value}' in '{text}'")
        position += 1
        return token

    def disjunction() -> Expression:
        left = conjunction()
        while peek() == ("word", "or"):
            take()
            left = _either(left, conjunction())
        return left

    def conjunction() -> Expression:
        left = comparison()
        while peek() == ("word", "and"):
            take()
            left = _both(left, comparison())
        return left

    def comparison() -> Expression:
        left = operand()
        kind, op = peek()
        if kind == "op" and op in _COMPARE:
            take()
            right, compare = operand(), _COMPARE[op]
            return lambda a: compare(left(a), right(a))
        return left

    def operand() -> Expression:
        kind, value = take()
        if kind == "ref":
            name = value[2:-1]
            return lambda a: a.get(name, "")
        if kind == "str":
            return lambda a: value[1:-1]
        if kind == "num":
            return lambda a: value
        if (kind, value) == ("op", "("):
            inner = disjunction()
            take(")")
            return inner
        if kind == "word" and value in ("true", "false"):
            take("(")
            take(")")
            return lambda a: value == "true"
        if (kind, value) == ("word", "not"):
            take("(")
            inner = disjunction()
            take(")")
            return lambda a: not inner(a)
        if (kind, value) == ("word", "selected"):
            take("(")
            answers = operand()
            take(",")
            choice = operand()
            take(")")
            return lambda a: str(choice(a)) in str(answers(a)).split()
        raise SkipLogicError(f"unexpected '{value or 'end'}' in '{text}'")

    expression = disjunction()
    if position != len(tokens):
        raise SkipLogicError(f"unexpected '{peek()[1]}' in '{text}'")
    return expression


def _either(left: Expression, right: Expression) -> Expression:
    return lambda a: bool(left(a)) or bool(right(a))


def _both(left: Expression, right: Expression) -> Expression:
    return lambda a: bool(left(a)) and bool(right(a))


def _number_or_text(left: object, right: object) -> tuple[object, object]:
    try:
        return float(str(left)), float(str(right))
    except ValueError:
        return str(left), str(right)


def _ordered(compare: Callable[[float, float], bool]) -> Callable[[object, object], bool]:
    def apply(left: object, right: object) -> bool:
        a, b = _number_or_text(left, right)
        # An unanswered question compares false, as in ODK Collect.
        return isinstance(a, float) and isinstance(b, float) and compare(a, b)

    return apply


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "=": lambda a, b: str(a) == str(b),
    "!=": lambda a, b: str(a) != str(b),
    "<": _ordered(lambda a, b: a < b),
    "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b),
    ">=": _ordered(lambda a, b: a >= b),
}


def relevant(text: str, answers: Answers) -> bool:
    """Whether a question with this ``relevant`` is asked, given the answers so far."""
    return True if not text.strip() else bool(compile_relevant(text)(answers))

"""The template language of letters: Django's syntax with only `{% if %}` and `{% for %}`,
four text filters and the declared placeholders of one letter kind.

The engine has no other tag or filter (no `{% load %}`, `{% include %}`, `{% url %}`, no
`|safe`), so a template cannot reach files, URLs or other libraries. `check` compiles a
template and walks its nodes: every name it uses must be a placeholder of its kind (or a
loop variable over one), so a template cannot ask for more than the decision needs; the
values passed at rendering are plain strings and lists computed for exactly the names used
(`used_placeholders`), never a model instance whose attributes lead elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template import Context, Library, Node, NodeList, Template, TemplateSyntaxError
from django.template.base import FilterExpression, TextNode, Variable, VariableNode
from django.template.defaultfilters import capfirst, default, lower, upper
from django.template.defaulttags import ForNode, IfNode, do_for, do_if
from django.template.engine import Engine

from .kinds import KINDS, PLACEHOLDERS

register = Library()
register.tag("if", do_if)
register.tag("for", do_for)
for _name, _filter in (("default", default), ("upper", upper), ("lower", lower), ("capfirst", capfirst)):
    register.filter(_name, _filter)

ALLOWED_TAGS = ("if", "for")
ALLOWED_FILTERS = ("default", "upper", "lower", "capfirst")
FORLOOP_FIELDS = frozenset({"counter", "counter0", "revcounter", "first", "last"})


class _SandboxEngine(Engine):
    default_builtins: list[str] = []


_ENGINE = _SandboxEngine(builtins=["trede.letters.sandbox"], autoescape=False, loaders=[])


class TemplateRefused(ValueError):
    """A template that may not be stored or rendered; the message is Dutch."""


@dataclass(frozen=True)
class _Scope:
    # loop variable -> the item fields it may use (None: a scalar, no fields)
    loops: dict

    def with_loop(self, names, item_fields):
        return _Scope({**self.loops, **{n: item_fields for n in names}, "forloop": FORLOOP_FIELDS})


def _dutch(error: TemplateSyntaxError) -> str:
    text = str(error)
    tag = re.match(r"Invalid block tag on line (\d+): '([^']*)'", text)
    if tag:
        line, name = tag.groups()
        return (
            f"Regel {line}: {{% {name} %}} is niet toegestaan. "
            "U kunt alleen {% if %} en {% for %} gebruiken (met hun {% else %}, {% elif %}, {% empty %}, {% endif %} en {% endfor %})."
        )
    filt = re.match(r"Invalid filter: '([^']*)'", text)
    if filt:
        return (
            f"Het filter |{filt.group(1)} is niet toegestaan. "
            f"U kunt alleen deze filters gebruiken: {', '.join('|' + f for f in ALLOWED_FILTERS)}."
        )
    unclosed = re.match(r"Unclosed tag on line (\d+): '([^']*)'", text)
    if unclosed:
        line, name = unclosed.groups()
        return f"Regel {line}: {{% {name} %}} wordt niet afgesloten. Zet er {{% end{name} %}} achter."
    return f"Het sjabloon klopt niet: {text}"


def _compile(source: str) -> Template:
    try:
        return Template(source, engine=_ENGINE)
    except TemplateSyntaxError as error:
        raise TemplateRefused(_dutch(error)) from error


def _variable_names(expression: FilterExpression):
    """Every Variable in a filter expression: the value and the filters' arguments."""
    if isinstance(expression.var, Variable) and expression.var.lookups is not None:
        yield expression.var
    for _func, args in expression.filters:
        for is_lookup, arg in args:
            if is_lookup and isinstance(arg, Variable) and arg.lookups is not None:
                yield arg


def _condition_expressions(condition):
    """The filter expressions inside an {% if %} condition (smartif's operator tree)."""
    if condition is None:
        return
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression):
        yield value
        return
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            yield from _condition_expressions(part)


class _Walk:
    def __init__(self, kind: str):
        self.declared = set(KINDS[kind].placeholders)
        self.used: set[str] = set()
        self.problems: list[str] = []

    def problem(self, text: str):
        if text not in self.problems:
            self.problems.append(text)

    def variable(self, var: Variable, scope: _Scope):
        first, rest = var.lookups[0], var.lookups[1:]
        shown = "{{ " + var.var + " }}"
        if first in scope.loops:
            fields = scope.loops[first]
            if fields is None and rest:
                self.problem(f"{shown}: {first} heeft geen onderdelen; gebruik {{{{ {first} }}}}.")
            elif fields is not None and (len(rest) != 1 or rest[0] not in fields):
                allowed = ", ".join(f"{first}.{f}" for f in sorted(fields))
                self.problem(f"{shown} bestaat niet. U kunt gebruiken: {allowed}.")
            return
        if first not in self.declared:
            if first in PLACEHOLDERS:
                self.problem(
                    f"{shown}: dit gegeven hoort niet bij deze brief. Een brief bevat alleen wat het besluit nodig heeft."
                )
            else:
                self.problem(f"{shown}: dit veld bestaat niet voor deze brief.")
            return
        self.used.add(first)
        if PLACEHOLDERS[first].items:
            self.problem(f"{shown} is een lijst: gebruik het in {{% for … in {first} %}}.")
        elif rest:
            self.problem(f"{shown}: gebruik {{{{ {first} }}}} zonder punt erachter.")

    def expression(self, expression: FilterExpression, scope: _Scope):
        for var in _variable_names(expression):
            self.variable(var, scope)

    def nodes(self, nodelist: NodeList, scope: _Scope):
        for node in nodelist:
            self.node(node, scope)

    def node(self, node: Node, scope: _Scope):
        if isinstance(node, TextNode):
            return
        if isinstance(node, VariableNode):
            self.expression(node.filter_expression, scope)
        elif isinstance(node, ForNode):
            sequence = node.sequence
            fields = None
            var = sequence.var
            if isinstance(var, Variable) and var.lookups is not None and var.lookups[0] in self.declared:
                placeholder = PLACEHOLDERS[var.lookups[0]]
                if placeholder.items and len(var.lookups) == 1 and not sequence.filters:
                    self.used.add(placeholder.name)
                    fields = frozenset(name for name, _label in placeholder.items)
                else:
                    self.expression(sequence, scope)
            else:
                self.expression(sequence, scope)
            inner = scope.with_loop(node.loopvars, fields)
            self.nodes(node.nodelist_loop, inner)
            self.nodes(node.nodelist_empty, scope)
        elif isinstance(node, IfNode):
            for condition, nodelist in node.conditions_nodelists:
                for expression in _condition_expressions(condition):
                    self.expression(expression, scope)
                self.nodes(nodelist, scope)
        else:  # the engine has no other tag; refuse rather than guess
            self.problem(f"Dit onderdeel van het sjabloon is niet toegestaan: {node.__class__.__name__}.")


def used_placeholders(kind: str, *sources: str, require: bool = True) -> set[str]:
    """The placeholders these texts use; `TemplateRefused` (Dutch, every problem) when a
    text does not compile, uses a name its kind does not declare, or leaves out a
    placeholder the kind requires (the bezwaar clause of a beschikking; `require=False`
    checks one text of several, the requirement then holds for them together)."""
    walk = _Walk(kind)
    for source in sources:
        walk.nodes(_compile(source).nodelist, _Scope({}))
    for name in KINDS[kind].required if require else ():
        if name not in walk.used:
            walk.problem(
                f"{{{{ {name} }}}} ontbreekt. Een beschikking heeft altijd de bezwaarclausule: "
                f"tot wanneer ({{{{ {name} }}}}), hoe en waar de klant bezwaar maakt."
            )
    if walk.problems:
        raise TemplateRefused(" ".join(walk.problems))
    return walk.used


def render(source: str, values: dict) -> str:
    """The text of a checked template with these values (plain strings and lists)."""
    return _compile(source).render(Context(values, autoescape=False))

"""No Python module holds a user-facing string that is not marked for translation (issue 21).

The templates have their own check (test_translatable_templates.py); this one reads the production
Python with `ast` and counts the string literals a person reads that are not wrapped in one of
Django's translation functions: the message of a flash message (`messages.success(request, ...)`),
of a form or model `ValidationError` and `add_error`, of every error a rule raises (each app's
error root derives from `core.errors.NetlearnError`, whose message pages and the API show as it
is), and a form field's `label`, `help_text` and `empty_label`.
A new unmarked string fails the suite, naming the module and the literal.

Left out on purpose: tests, migrations and demo data (the demo's content is data a network
writes, not the interface), and log messages (written for operators, who read English logs).
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
MARKERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error", "add_message"}
READ_KEYWORDS = {"label", "help_text", "empty_label", "message"}
ALWAYS_ERRORS = {"ValidationError", "HttpError", "NetlearnError", "Conflict", "TooMany"}


def modules() -> list[Path]:
    skipped = {"tests", "migrations"}
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not skipped & set(path.relative_to(PACKAGE).parts)
        and path.name != "demo.py"
        and "demo" not in path.relative_to(PACKAGE).parts
    )


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def error_classes(trees: list[ast.Module]) -> set[str]:
    """Every class that derives, directly or through another, from one of ALWAYS_ERRORS."""
    bases = {
        node.name: {_name(base) for base in node.bases}
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    found = set(ALWAYS_ERRORS)
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _is_words(node: ast.AST) -> bool:
    """A literal a person reads: a string (or f-string, or "..." % x, "...".format()) with words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip()
        return any(c.isalpha() for c in text) and (" " in text or text[:1].isupper())
    if isinstance(node, ast.JoinedStr):
        return any(_is_words(value) for value in node.values if isinstance(value, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _is_words(node.left)
    if isinstance(node, ast.Call) and _name(node.func) == "format":
        return isinstance(node.func, ast.Attribute) and _is_words(node.func.value)
    return False


def unmarked_strings(tree: ast.Module, errors: set[str]) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) in MARKERS:
            continue
        called = _name(node.func)
        if (
            called in MESSAGE_LEVELS
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "messages"
        ):
            read = node.args[1:2]
        elif called in errors:
            read = node.args[:1]
        elif called == "add_error":
            read = node.args[1:2]
        else:
            read = []
        read += [keyword.value for keyword in node.keywords if keyword.arg in READ_KEYWORDS]
        found += [ast.unparse(value) for value in read if _is_words(value)]
    return found


def unmarked_by_module() -> dict[str, list[str]]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in modules()}
    errors = error_classes(list(trees.values()))
    found = {}
    for path, tree in trees.items():
        strings = unmarked_strings(tree, errors)
        if strings:
            found[str(path.relative_to(PACKAGE))] = strings
    return found


def test_the_scanner_finds_messages_errors_and_labels_but_not_marked_strings():
    tree = ast.parse(
        "class PlanError(NetlearnError): pass\n"
        "class WaveError(PlanError): pass\n"
        "messages.success(request, 'Saved the plan.')\n"
        "messages.success(request, _('Marked.'))\n"
        "raise WaveError(f'Wave {n} overlaps')\n"
        "raise WaveError(_('Marked %(n)s') % {'n': n})\n"
        "raise ValueError('not for people')\n"
        "forms.CharField(label='Your name', help_text=gettext_lazy('Marked'), max_length=3)\n"
        "form.add_error('title', 'Give a title.')\n"
        "logger.info('Queued %s', n)\n"
    )
    assert unmarked_strings(tree, error_classes([tree])) == [
        "'Saved the plan.'",
        "f'Wave {n} overlaps'",
        "'Your name'",
        "'Give a title.'",
    ]


def test_no_module_holds_an_unmarked_string():
    found = unmarked_by_module()
    assert not found, (
        "Wrap these in gettext (gettext_lazy where evaluated at import time): "
        + "; ".join(f"{name}: {strings}" for name, strings in found.items())
    )

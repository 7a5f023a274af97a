"""The kernel spec grammar of kernels4j (``org.kernels4j.kernel.KernelSpec``), parsed the same way::

    spec   := term ('+' term)*
    term   := factor ('*' factor)*
    factor := NUMBER | NAME '(' [param (',' param)*] ')' | '(' spec ')'
    param  := NAME '=' (NUMBER | NAME | STRING | list)
    list   := '[' item (',' item)* ']'      (all numbers, all names, or all lists of numbers)
    item   := NUMBER | NAME | '[' NUMBER (',' NUMBER)* ']'

Whitespace is free and names are case-insensitive. Numbers in a product scale it (``0.5*rbf()``); a
number alone in a sum is a ``constant(value=...)`` kernel. Errors name the 1-based column, as in Java.
"""

import re

from .errors import KernelSpecError

MAX_DEPTH = 100
_NUMBER = re.compile(r"[+-]?[0-9.]*(?:[eE][+-]?[0-9]+)?")


class Words(tuple):
    """A list of names such as ``[Z, ZZ]``."""


class Quoted(str):
    """A double-quoted parameter value (an activation expression)."""


class Call(object):
    """One ``name(p=v, ...)`` with the column of each parameter, handed to the kernel factories."""

    def __init__(self, parser, name, start):
        self.parser = parser
        self.name = name
        self.start = start
        self.values = {}
        self.columns = {}
        self.used = set()

    def put(self, pname, value, column):
        if pname in self.values:
            raise self.parser.error(column, "parameter '%s' is given twice" % pname)
        self.values[pname] = value
        self.columns[pname] = column

    def has(self, pname):
        self.used.add(pname)
        return pname in self.values

    def get(self, pname):
        self.used.add(pname)
        return self.values.get(pname)

    def error(self, pname, problem):
        return self.parser.error(self.columns.get(pname, 0), problem)


class Parser(object):
    def __init__(self, text, factory):
        self.text = text
        self.pos = 0
        self.depth = 0
        self.in_list = False
        self.factory = factory

    def error(self, at, problem):
        return KernelSpecError(self.text, at + 1, problem)

    def parse(self):
        node = self.sum()
        self.skip()
        if self.pos < len(self.text):
            raise self.error(self.pos, "unexpected '%s'" % self.text[self.pos])
        if not hasattr(node, "cross"):
            raise self.error(0, "a number alone is not a kernel; write constant(value=%s)" % _num(node))
        return node

    def skip(self):
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        return self.pos

    def peek(self):
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def sum(self):
        from .kernels import Constant, Sum
        terms = []
        while True:
            self.skip()
            terms.append(self.product())
            self.skip()
            if self.peek() == "+":
                self.pos += 1
            else:
                break
        if len(terms) == 1:
            return terms[0]
        return Sum([t if hasattr(t, "cross") else Constant(t) for t in terms])

    def product(self):
        from .kernels import Product, Scaled
        scale = 1.0
        any_number = False
        factors = []
        while True:
            start = self.skip()
            if start >= len(self.text):
                raise self.error(start, "expected a kernel name, a number or '(' but the spec ended")
            c = self.text[start]
            if c == "(":
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    raise self.error(start, "parentheses nested deeper than %d levels" % MAX_DEPTH)
                self.pos += 1
                inner = self.sum()
                self.expect(")")
                self.depth -= 1
                if hasattr(inner, "cross"):
                    factors.append(inner)
                else:
                    scale *= inner
                    any_number = True
            elif _number_start(c):
                v = self.number()
                if not v > 0:
                    raise self.error(start, "a scale factor must be positive, got " + self.text[start:self.pos].strip())
                scale *= v
                any_number = True
            elif c.isalpha():
                factors.append(self.call())
            else:
                raise self.error(start, "expected a kernel name, a number or '(' but found '%s'" % c)
            self.skip()
            if self.peek() == "*":
                self.pos += 1
            else:
                break
        if not factors:
            return scale
        k = factors[0] if len(factors) == 1 else Product(factors)
        return Scaled(scale, k) if any_number else k

    def name(self):
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] == "_"):
            self.pos += 1
        return self.text[start:self.pos]

    def number(self):
        start = self.skip()
        m = _NUMBER.match(self.text, start)
        s = m.group(0) if m else ""
        try:
            v = float(s)
        except ValueError:
            shown = self.text[start] if not s and start < len(self.text) else s
            raise self.error(start, "expected a number but found '%s'" % shown)
        if v != v or v in (float("inf"), float("-inf")):
            raise self.error(start, "number '%s' is not finite" % s)
        self.pos = m.end()
        return v

    def expect(self, c):
        at = self.skip()
        if at >= len(self.text):
            raise self.error(at, "expected '%s' but the spec ended" % c)
        if self.text[at] != c:
            raise self.error(at, "expected '%s' but found '%s'" % (c, self.text[at]))
        self.pos += 1

    def call(self):
        start = self.pos
        name = self.name()
        call = Call(self, name.lower(), start)
        self.skip()
        if self.peek() != "(":
            raise self.error(self.pos, "expected '(' after '%s'" % name)
        self.pos += 1
        self.skip()
        if self.peek() == ")":
            self.pos += 1
        else:
            while True:
                pstart = self.skip()
                if pstart >= len(self.text) or not self.text[pstart].isalpha():
                    raise self.error(pstart, "expected a parameter name")
                pname = self.name().lower()
                self.skip()
                self.expect("=")
                vstart = self.skip()
                c = self.peek()
                if c == "[":
                    value = self.list(vstart)
                elif c == '"':
                    end = self.text.find('"', vstart + 1)
                    if end < 0:
                        raise self.error(vstart, "unterminated string: a closing '\"' is missing")
                    value = Quoted(self.text[vstart + 1:end])
                    self.pos = end + 1
                elif c and _number_start(c):
                    value = self.number()
                elif c and c.isalpha():
                    value = self.name()
                else:
                    raise self.error(vstart, "expected a value for '%s'" % pname)
                call.put(pname, value, pstart)
                self.skip()
                if self.peek() == ",":
                    self.pos += 1
                else:
                    break
            self.expect(")")
        return self.factory(call)

    def list(self, start):
        self.pos += 1
        items = []
        while True:
            at = self.skip()
            c = self.peek()
            if c == "[":
                if self.in_list:
                    raise self.error(at, "lists nest at most two deep, e.g. [[0, 1], [1, 2]]")
                self.in_list = True
                try:
                    inner = self.list(at)
                    if not isinstance(inner, list):
                        raise self.error(at, "an inner list must hold numbers, e.g. [0, 1]")
                    items.append(tuple(inner))
                finally:
                    self.in_list = False
            elif c and c.isalpha():
                items.append(self.name())
            else:
                items.append(self.number())
            if len(items) > 1 and type(items[-1]) is not type(items[0]):
                raise self.error(at, "a list must hold only numbers, only names or only lists")
            self.skip()
            if self.peek() == ",":
                self.pos += 1
            else:
                break
        self.expect("]")
        if isinstance(items[0], float):
            return items
        if isinstance(items[0], str):
            return Words(items)
        return tuple(items)


def _number_start(c):
    return c.isdigit() or c in ".-+"


def _num(v):
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


def parse(spec):
    """Parses a kernel spec such as ``2*rbf(length=3) + linear()`` into a kernel object.

    Raises :class:`KernelSpecError` naming the column of the first problem, and
    :class:`UnsupportedError` for a kernel that has no closed form in this reader (named).
    """
    from .kernels import create
    if spec is None or not str(spec).strip():
        raise KernelSpecError(str(spec), 1, "empty kernel spec; try e.g. rbf(gamma=0.5)")
    return Parser(str(spec), create).parse()

"""The terminals of the SPARQL 1.1 grammar that ``rcsgraph.sparql.scan`` reads a request with,
as one regular expression: whitespace, comments, strings, IRIs, variables, blank node labels,
prefixed names (with their ``\\``-escapes), language tags, words, numbers, any other character.

The grammar's name characters (PN_CHARS_BASE and the classes built on it) reach far past
ASCII, and ``re`` builds a class with such ranges one code point at a time: the pattern has a
dozen of them, and compiling it took 26-50 ms of CPU (measured on a 2-core machine, Python
3.11), on the way to a server's first answer, which is scanned. So ``token_pattern`` reads
text that is all ASCII (nearly every request) with the same pattern built from the classes'
ASCII ranges alone, compiled in 1-2 ms: on such text each class matches what its full form
matches, and so the whole pattern does too. The full pattern is compiled when a text with
another character first comes, once per process.
"""

import re
from functools import cache

# Each class of name characters as its ASCII ranges and the rest: PN_CHARS_BASE, and what the
# later characters of VARNAME add to PN_CHARS_U (PN_CHARS is those and "-").
_BASE_ASCII = "A-Za-z"
_BASE_REST = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_MORE_ASCII, _MORE_REST = "0-9", "\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"


def compile_tokens(ascii_only: bool) -> re.Pattern[str]:
    """The pattern of the terminals, one named group each; with ``ascii_only``, its classes
    of name characters keep their ASCII ranges alone."""
    rest = not ascii_only
    base = _BASE_ASCII + (_BASE_REST if rest else "")  # PN_CHARS_BASE
    chars_u = base + "_"  # PN_CHARS_U
    varname = chars_u + _MORE_ASCII + (_MORE_REST if rest else "")  # VARNAME after its first
    chars = varname + r"\-"  # PN_CHARS
    prefix = rf"[{base}](?:[{chars}.]*[{chars}])?"  # PN_PREFIX
    local = rf"(?:[{chars_u}:0-9]|{_PLX})(?:(?:[{chars}.:]|{_PLX})*(?:[{chars}:]|{_PLX}))?"
    return re.compile(
        rf"""
        (?P<space>\s+)
      | (?P<comment>\#[^\n\r]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][{chars_u}0-9][{varname}]*)
      | (?P<bnode>_:[{chars_u}0-9](?:[{chars}.]*[{chars}])?)
      | (?P<pname>(?:{prefix})?:(?:{local})?)
      | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
      | (?P<other>.)
        """,
        re.VERBOSE | re.DOTALL,
    )


_ASCII_TOKENS = compile_tokens(ascii_only=True)


@cache
def _all_tokens() -> re.Pattern[str]:
    """The full pattern, compiled on first use (two threads may both compile it: no harm)."""
    return compile_tokens(ascii_only=False)


def token_pattern(text: str) -> re.Pattern[str]:
    """The pattern to read ``text`` with: the ASCII one when that is enough."""
    return _ASCII_TOKENS if text.isascii() else _all_tokens()

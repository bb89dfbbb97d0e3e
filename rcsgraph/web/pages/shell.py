"""The HTML shell of every page: readable on a phone, nothing fetched from another host."""

from html import escape

from rcsgraph.publish.articles import Articles, in_brief

STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #555; --accent: #b3001b; --line: #ddd; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
       color: var(--ink); }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem; }
header { display: flex; gap: 1rem; flex-wrap: wrap; align-items: baseline;
         border-bottom: 3px solid var(--accent); }
header a { color: var(--ink); text-decoration: none; font-weight: 600; }
a { color: #0b57a4; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f4f4f4; }
td a { word-break: break-all; }
input, select, textarea, button { font: inherit; max-width: 100%; }
button { background: var(--accent); color: #fff; border: 0; padding: 0.4rem 1rem;
         border-radius: 4px; cursor: pointer; }
pre { background: #f6f6f6; padding: 0.75rem; overflow-x: auto; }
code { overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 0.9rem; border-top: 1px solid var(--line); }
"""


def page(title: str, body: str, head: str = "", articles: Articles | None = None) -> str:
    """A complete HTML document around ``body`` (already-escaped HTML); ``head`` adds elements
    to the document's head (alternate links, a page's own styles); the footer says which
    ``articles`` the facts come from (in general words when that is not known)."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · rcsgraph</title>
<style>{STYLE}</style>{head}
</head>
<body>
<header><a href="/">rcsgraph</a><nav aria-label="main">
<a href="/">Home</a> · <a href="/queries">Queries</a> · <a href="/sparql">SPARQL</a> ·
<a href="/ontology">Ontology</a> · <a href="/dataset">Dataset</a></nav></header>
<main>{body}</main>
<footer>Facts from {escape(in_brief(articles))}, each with the sentence it came from.
</footer>
</body>
</html>
"""

"""Collect every dstack configuration published in dstack's docs and examples (test/fixtures/dstack-corpus).

Usage: python extract.py DSTACK_CHECKOUT > candidates.json
DSTACK_CHECKOUT is a work tree of github.com/dstackai/dstack. Finds fenced ```yaml blocks in the pages
mkdocs/docs/**/*.md (docs/docs/**/*.md and examples/**/README.md before 0.20.25) (dedented, with the section heading and the editor title above them) and the files
of examples/** whose top-level `type` is dev-environment, task, service, fleet or volume.
"""
import re, glob, json, os, sys, textwrap
ROOT = sys.argv[1]
TYPES = ("dev-environment", "task", "service", "fleet", "volume")
FENCE = re.compile(r'^(?P<ind>[ \t]*)```ya?ml[^\n]*\n(?P<body>.*?)^(?P=ind)```', re.S | re.M)
out = []
def heading_at(text, pos):
    # Headings outside code blocks only (a `# comment` in YAML is not a heading).
    prose = re.sub(r"```.*?```", lambda m: " " * len(m.group(0)), text[:pos], flags=re.S)
    hs = [m for m in re.finditer(r'^(#{1,4}) (.+)$', prose, re.M)]
    return hs[-1].group(2).strip() if hs else ""
def title_at(text, pos):
    m = list(re.finditer(r'editor-title="([^"]*)"', text[:pos]))
    if m and pos - m[-1].end() < 200:
        return m[-1].group(1)
    return None
PAGES = [f for d in ("mkdocs/docs", "docs/docs", "examples") for f in glob.glob(f"{ROOT}/{d}/**/*.md", recursive=True)]
for f in sorted(PAGES):
    t = open(f).read()
    for m in FENCE.finditer(t):
        ind = m.group("ind")
        body = "\n".join(l[len(ind):] if l.startswith(ind) else l.lstrip() for l in m.group("body").split("\n"))
        body = textwrap.dedent(body)
        if not re.search(r'^type:\s*(%s)\s*$' % "|".join(TYPES), body, re.M):
            continue
        out.append(dict(file=os.path.relpath(f, ROOT), heading=heading_at(t, m.start()), title=title_at(t, m.start()), text=body.rstrip() + "\n"))
for f in sorted(glob.glob(f"{ROOT}/examples/**/*.y*ml", recursive=True) + glob.glob(f"{ROOT}/examples/**/.*.y*ml", recursive=True)):
    t = open(f).read()
    if not re.search(r'^type:\s*(%s)\s*$' % "|".join(TYPES), t, re.M):
        continue
    out.append(dict(file=os.path.relpath(f, ROOT), heading="", title=None, text=t.rstrip() + "\n"))
json.dump(out, sys.stdout, indent=1)

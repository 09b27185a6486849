#!/usr/bin/env python3
"""Incremental builds against clean builds of the same inputs, on random edits.

A small site is made with `versus init`, then edited step by step at random (page bodies,
every front-matter field, pages added, removed, renamed and moved, errors made and
mended, templates, config, static files, the ledger, hand edits to output/ and to the
spare tree). After each step the project is built incrementally (`versus build`, or a
running `versus serve` that rebuilds on its own) and a copy of its inputs is built
clean; the two must agree: exit status and diagnostics, then every output file and the
ledger. A failed build must leave output/ as it was. Seeded, so a failure repeats.

usage: differential.py --versus BIN --seeds DIR [--seed N] [--steps N] [--serve] [--hand-edits]
"""
import argparse, html, os, random, re, shutil, subprocess, sys, tempfile, time

SUBJECTS = ["Kubernetes", "Nomad", "Docker", "Podman", "Consul", "Vault", "Redis", "Postgres", "MySQL", "Kafka", "NATS", "Envoy"]


def page(a, b, title=None, slug=None, date=None):
    fm = [f'title: "{title or a + " vs " + b}"', f'subjects: ["{a}", "{b}"]']
    if slug: fm.append(f'slug: "{slug}"')
    if date: fm.append(f"date: {date}")
    body = (f"{a} and {b} are both on shortlists. This page compares them on the points that matter.\n\n"
            f"## {a} Focus\n\n{a} is strong where teams need a mature ecosystem and good defaults for operations.\n\n"
            f"## Technical Details\n\n| Aspect | {a} | {b} |\n|---|---|---|\n| Setup | easy | moderate |\n\n"
            f"## Verdict\n\nPick {a} for breadth and {b} for focus; both work for platform teams of any size.\n")
    return "---\n" + "\n".join(fm) + "\n---\n\n" + body


def tree(d):
    out = {}
    for base, _, names in os.walk(d):
        for n in names:
            p = os.path.join(base, n)
            out[os.path.relpath(p, d)] = open(p, "rb").read()
    return out


class Project:
    def __init__(self, args, rng, work):
        self.args, self.r, self.work = args, rng, work
        self.w = os.path.join(work, "w")
        self.content = os.path.join(self.w, "content")
        self.seeds = sorted(os.path.join(args.seeds, f) for f in os.listdir(args.seeds) if f.endswith(".txt"))
        self.step_index, self.last_ok = 0, True

    def build(self, root, *extra):
        p = subprocess.run([self.args.versus, "build", "--root", root, *extra], capture_output=True, text=True)
        return p.returncode, p.stderr.replace(root, "ROOT")

    def setup(self):
        subprocess.run([self.args.versus, "init", self.w], check=True, capture_output=True)
        os.makedirs(os.path.join(self.w, "templates", "static"), exist_ok=True)
        for f in os.listdir(self.content): os.remove(os.path.join(self.content, f))
        for i, a in enumerate(SUBJECTS):
            for b in SUBJECTS[i + 1:]:
                if self.r.random() < 0.3:
                    date = self.r.choice([None, "2025-03-0%d" % self.r.randint(1, 9)])
                    self.write(f"{a.lower()}-vs-{b.lower()}.md", page(a, b, date=date))
        for s in self.r.sample(self.seeds, min(2, len(self.seeds))): shutil.copy(s, self.content)

    def write(self, name, text):
        open(os.path.join(self.content, name), "w").write(text)

    def pages(self):
        return sorted(f for f in os.listdir(self.content) if os.path.isfile(os.path.join(self.content, f)))

    # Each edit says what it did.
    def edit_body(self):
        f = self.r.choice(self.pages()); p = os.path.join(self.content, f)
        text = open(p, encoding="utf-8", errors="replace").read().rstrip("\n")
        open(p, "w").write(text + f"\n\nAn added paragraph, number {self.r.randint(0, 10**6)}, about operations at scale.\n")
        return f"edit the body of {f}"

    def edit_field(self, field):
        pages = [f for f in self.pages() if f.endswith(".md")]
        if not pages: return "nothing"
        f = self.r.choice(pages); p = os.path.join(self.content, f)
        head, sep, rest = open(p).read()[4:].partition("\n---\n")
        lines = [l for l in head.split("\n") if not l.startswith(field + ":")]
        r = self.r
        value = {"title": lambda: f'"{r.choice(SUBJECTS)} vs {r.choice(SUBJECTS)} {r.choice(["for Teams", "in 2025", "Compared", ""])}"',
                 "date": lambda: f"2025-0{r.randint(1, 9)}-1{r.randint(0, 9)}",
                 "updated": lambda: f"2026-0{r.randint(1, 9)}-2{r.randint(0, 8)}",
                 "description": lambda: f'"A description, number {r.randint(0, 99)}, long enough to count for search engines, about the pair."',
                 "draft": lambda: r.choice(["true", "false"]),
                 "noindex": lambda: r.choice(["true", "false"]),
                 "aliases": lambda: f'["/old-{r.randint(0, 5)}/"]',
                 "slug": lambda: f'"{r.choice(["a", "b", "x-vs-y", "kubernetes-vs-nomad"])}-{r.randint(0, 3)}"',
                 "subjects": lambda: f'["{r.choice(SUBJECTS)}", "{r.choice(SUBJECTS)}"]',
                 "byline": lambda: f'"{r.choice(["Jane Doe", "Ann Lee", "Bo Chen"])}"'}[field]
        if r.random() < 0.8: lines.append(f"{field}: {value()}")
        open(p, "w").write("---\n" + "\n".join(lines) + sep + rest)
        return f"front-matter {field} of {f}"

    def add(self):
        a, b = self.r.sample(SUBJECTS, 2)
        name = f"{a.lower()}-vs-{b.lower()}-{self.r.randint(0, 50)}.md"
        self.write(name, page(a, b, title=f"{a} vs {b} part {self.r.randint(0, 9)}", slug=name[:-3]))
        return f"add {name}"

    def add_text(self):
        s = self.r.choice(self.seeds); name = f"capture-{self.r.randint(0, 30)}.txt"
        shutil.copy(s, os.path.join(self.content, name)); return f"add {name}"

    def remove(self):
        pages = self.pages()
        if len(pages) < 3: return "nothing"
        f = self.r.choice(pages); os.remove(os.path.join(self.content, f)); return f"remove {f}"

    def rename(self):
        f = self.r.choice(self.pages()); base, ext = os.path.splitext(f)
        new = base + self.r.choice(["-r", "-2", ""]) + self.r.choice([ext, ext.upper()])
        if new == f: new = "z" + f
        os.rename(os.path.join(self.content, f), os.path.join(self.content, new)); return f"rename {f} to {new}"

    def move(self):
        f = self.r.choice(self.pages()); os.makedirs(os.path.join(self.content, "guides"), exist_ok=True)
        os.rename(os.path.join(self.content, f), os.path.join(self.content, "guides", f)); return f"move {f} into guides/"

    def bad_page(self):
        name = f"bad-{self.r.randint(0, 3)}.md"
        self.write(name, self.r.choice(["---\ntitle: [unclosed\n---\nbody\n", "---\ntitle: \"x\"\nsubjects: 3\n---\nbody\n",
                                        "---\nslug: \"BAD SLUG\"\ntitle: \"A vs B\"\nsubjects: [\"A\", \"B\"]\n---\nbody text here\n"]))
        return f"add the bad page {name}"

    def template(self):
        t = os.path.join(self.w, "templates", self.r.choice(["comparison.mustache", "base.mustache", "hub.mustache", "index.mustache", "page.mustache"]))
        s = open(t).read(); x = self.r.random()
        if x < 0.3: s += f"\n<!-- v{self.r.randint(0, 999)} -->\n"
        elif x < 0.5: s += "{{#broken}}\n"
        else: s = s.replace("{{#broken}}\n", "") + f"\n<p hidden>{self.r.randint(0, 9)}</p>\n"
        open(t, "w").write(s); return f"edit {os.path.basename(t)}"

    def config(self):
        p = os.path.join(self.w, "versus.yml"); s = re.sub(r"\n# differential.*", "", open(p).read(), flags=re.S)
        r = self.r
        extra = r.choice(["", "index: { page_size: %d }" % r.randint(1, 5), "related: { count: %d }" % r.randint(0, 6),
                          "feed: { entries: %d }" % r.randint(1, 5), "sitemap: { max_urls: %d }" % r.randint(2, 30),
                          "compress: { enabled: true }", "check: { thin_words: %d }" % r.randint(10, 400), "baseurl: \"x\"",
                          "markdown: { unsafe_html: true }", "markdown: { smart_punctuation: true }"])
        open(p, "w").write(s.rstrip("\n") + "\n# differential\n" + extra + "\n"); return f"config {extra!r}"

    def static(self):
        d = os.path.join(self.w, "templates", "static")
        if self.r.random() < 0.6:
            name = self.r.choice(["extra.txt", "a.css", "img/x.svg", "favicon.ico"])
            os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
            open(os.path.join(d, name), "w").write(f"static {self.r.randint(0, 99)}\n"); return f"static file {name}"
        for base, _, names in os.walk(d):
            for n in names: os.remove(os.path.join(base, n)); return f"remove static file {n}"
        return "nothing"

    def asset(self):
        p = os.path.join(self.w, "templates", "assets", "style.css")
        open(p, "a").write(f"\n.x{self.r.randint(0, 999)} {{ color: #{self.r.randint(0, 0xffffff):06x}; }}\n"); return "edit style.css"

    def line_ends(self):
        f = self.r.choice(self.pages()); p = os.path.join(self.content, f)
        b = open(p, "rb").read()
        b = b.replace(b"\r\n", b"\n") if b"\r\n" in b else b.replace(b"\n", b"\r\n")
        if self.r.random() < 0.3 and not b.startswith(b"\xef\xbb\xbf"): b = b"\xef\xbb\xbf" + b
        open(p, "wb").write(b); return f"line ends (and maybe a BOM) of {f}"

    def unicode_name(self):
        a, b = self.r.sample(SUBJECTS, 2)
        name = self.r.choice(["café", "naïve", "東京", "Ünïcode"]) + f"-{self.r.randint(0, 9)}.md"
        self.write(name, page(a, b, title=f"{a} vs {b}: {name[:-3]}", slug=f"u-{self.r.randint(0, 99)}")); return f"add {name}"

    def link(self):
        f = self.r.choice(self.pages()); name = f"link-{self.r.randint(0, 5)}" + os.path.splitext(f)[1]
        dst = os.path.join(self.content, name)
        if os.path.lexists(dst): os.remove(dst); return f"remove the link {name}"
        os.symlink(f, dst); return f"link {name} to {f}"

    def ledger_by_hand(self):
        p = os.path.join(self.w, "lastmod.tsv")
        lines = open(p).read().splitlines() if os.path.exists(p) else []
        head, body = [l for l in lines if l.startswith("#")], [l for l in lines if l and not l.startswith("#")]
        form = self.r.random()
        if body and form < 0.4:
            # The same ledger in another form: lines reordered or repeated, or no header.
            how = self.r.choice(["reorder", "repeat", "no header"])
            body = body[::-1] if how == "reorder" else body + [self.r.choice(body)] if how == "repeat" else body
            open(p, "w").write("\n".join((head if how != "no header" else []) + body) + "\n")
            return f"the ledger in another form ({how})"
        with open(p, "a") as out: out.write(self.r.choice(["/gone/\tabc\t2024-01-01\n", "not a ledger line\n", "/kubernetes-vs-nomad/\tx\t2020-02-02\n"]))
        return "add a line to the ledger by hand"

    def touch(self):
        f = self.r.choice(self.pages()); os.utime(os.path.join(self.content, f)); return f"touch {f}"

    def ledger(self):
        p = os.path.join(self.w, "lastmod.tsv")
        if os.path.exists(p): os.remove(p); return "remove the ledger"
        return "nothing"

    def hand_edit(self):
        out = os.path.join(self.w, "output")
        # (Without its marker, output/ is a folder no build wrote, which a build refuses by design;
        # a file added by hand is outside what an edit looks at: README, "Incremental builds".)
        files = [f for f in tree(out) if f != ".versus-build"] if os.path.isdir(out) else []
        if not files: return "nothing"
        f = self.r.choice(files); p = os.path.join(out, f); x = self.r.random()
        spare = self.w + "/output.staging"
        if x < 0.1 and os.path.isdir(spare):
            shutil.rmtree(spare); return "remove the spare tree"
        if x < 0.15 and os.path.exists(spare + "/.versus-build"):
            os.remove(spare + "/.versus-build"); return "remove the spare tree's marker"
        if x < 0.25 and os.path.isdir(spare):
            inside = sorted(os.path.relpath(os.path.join(b, n), spare) for b, ds, fs in os.walk(spare) for n in ds + fs)
            inside = [i for i in inside if i != ".versus-build"]
            if inside:
                i = self.r.choice(inside); q = os.path.join(spare, i)
                shutil.rmtree(q) if os.path.isdir(q) else os.remove(q); return f"remove output.staging/{i}"
        if x < 0.55: os.remove(p); return f"remove output/{f}"
        open(p, "a").write("x"); return f"change output/{f}"

    def paragraphs(self, f):
        """A page's front-matter lines (None for a text) and its body's paragraphs."""
        text = open(os.path.join(self.content, f), encoding="utf-8", errors="replace").read().replace("\r\n", "\n").lstrip("\ufeff")
        if not text.startswith("---\n") or "\n---\n" not in text[4:]: return None, text.split("\n\n")
        head, _, body = text[4:].partition("\n---\n")
        return head.split("\n"), body.split("\n\n")

    def clash(self):
        # A page's first paragraph (its derived description, with no `description:`) made the same
        # as another page's or a hub's description: one of them shows a description derived from
        # a later paragraph, which `edit_later` then changes.
        pages = [f for f in self.pages() if f.endswith(".md") and self.paragraphs(f)[0] is not None]
        if len(pages) < 2: return "nothing"
        f = self.r.choice(pages)
        head, paras = self.paragraphs(f)
        hubs = []
        for base, _, names in os.walk(os.path.join(self.w, "output", "subjects")):
            for n in names:
                if n == "index.html":
                    m = re.search(r'<meta name="description" content="([^"]*)"', open(os.path.join(base, n), errors="replace").read())
                    if m: hubs.append(html.unescape(m.group(1)))
        others = [p for g in pages if g != f for p in self.paragraphs(g)[1][:3] if len(p) > 60 and not p.lstrip().startswith(("#", "|"))]
        lead = self.r.choice(hubs) if hubs and self.r.random() < 0.4 else self.r.choice(others) if others else None
        if lead is None: return "nothing"
        body = [p for p in paras if p.strip()]
        at = next((i for i, p in enumerate(body) if not p.startswith("#")), 0)
        body[at] = lead.strip()
        head = [l for l in head if not l.startswith("description:")]
        open(os.path.join(self.content, f), "w").write("---\n" + "\n".join(head) + "\n---\n\n" + "\n\n".join(body) + "\n")
        return f"the first paragraph of {f} made another's description"

    def edit_later(self):
        # One word of a paragraph after the first heading (the words a page's other descriptions come from).
        pages = [f for f in self.pages() if f.endswith(".md")]
        if not pages: return "nothing"
        f = self.r.choice(pages); head, paras = self.paragraphs(f)
        later = [i for i, p in enumerate(paras) if i > 0 and len(p) > 50 and not p.lstrip().startswith(("#", "|", "---"))
                 and any(q.startswith("#") for q in paras[:i])]
        if not later: return "nothing"
        i = self.r.choice(later); words = paras[i].split(" ")
        words[self.r.randrange(len(words))] = self.r.choice(["latency", "budget", "audits", "cluster", "migration"])
        paras[i] = " ".join(words)
        body = "\n\n".join(paras)
        open(os.path.join(self.content, f), "w").write(body if head is None else "---\n" + "\n".join(head) + "\n---\n" + body)
        return f"edit a later paragraph of {f}"

    def doc(self, n):
        """Makes guides/doc-N.md, a document page at /guides/doc-N/ (removing a file guides/doc-N)."""
        d = os.path.join(self.content, "guides"); os.makedirs(d, exist_ok=True)
        if os.path.exists(os.path.join(d, f"doc-{n}")): os.remove(os.path.join(d, f"doc-{n}"))
        open(os.path.join(d, f"doc-{n}.md"), "w").write(
            f'---\ntitle: "Document {n}: an operations note {self.r.randint(0, 99)}"\n'
            'description: "A document page long enough to have a fine description for enterprise platform readers."\n---\n\n'
            "Notes on running the platform.\n\n## Steps\n\nFirst do this, then do that.\n")

    def swap_kind(self):
        # A document page (/guides/doc-N/) swapped for a file beside the content at /guides/doc-N, or back.
        n = self.r.randint(0, 2); page = os.path.join(self.content, "guides", f"doc-{n}.md")
        if os.path.exists(page):
            os.remove(page); open(page[:-3], "w").write(f"a plain file {self.r.randint(0, 99)}\n")
            return f"guides/doc-{n}.md swapped for a file"
        self.doc(n); return f"guides/doc-{n} made a page"

    def move_folder(self):
        # A folder of pages moved out of content/ whole, as a file manager does, or back in (a
        # watcher tells either under the folder's name only).
        inside, attic = os.path.join(self.content, "guides"), os.path.join(self.work, "attic")
        if os.path.isdir(attic) and not os.path.exists(inside):
            os.rename(attic, inside); return "guides/ moved back into content/"
        if not os.path.isdir(inside): return None
        shutil.rmtree(attic, ignore_errors=True); os.rename(inside, attic); return "guides/ moved out of content/"

    def editor_copy(self):
        # An editor's backup, autosave or swap copy of a page, made or removed: no build reads it.
        f = self.r.choice(self.pages())
        name = self.r.choice([f + "~", "#" + f + "#", f + ".swp", "." + f + ".swp"])
        p = os.path.join(self.content, name)
        if os.path.exists(p): os.remove(p); return f"remove the editor's copy {name}"
        shutil.copy(os.path.join(self.content, f), p); return f"an editor's copy {name}"

    def hand_add(self):
        # A file added to output/ by hand where a page added in the same step goes (alone in its step,
        # after a good build: README, "Incremental builds", says what becomes of other such files).
        n = self.r.randint(0, 2)
        if self.step_index > 0 or not self.last_ok or os.path.exists(os.path.join(self.content, "guides", f"doc-{n}.md")): return None
        os.makedirs(os.path.join(self.w, "output", "guides"), exist_ok=True)
        open(os.path.join(self.w, "output", "guides", f"doc-{n}"), "w").write("added by hand\n")
        self.doc(n)
        return f"output/guides/doc-{n} added by hand, and the page guides/doc-{n}.md"

    def heal(self, diagnostics):
        # What the errors name goes, so later steps compare trees again.
        if "ROOT/output.staging: error: holds" in diagnostics: shutil.rmtree(self.w + "/output.staging", ignore_errors=True)
        for line in diagnostics.splitlines():
            m = re.match(r"ROOT/(content/[^:]+?)(:\d+)?: error", line)
            if m and os.path.exists(os.path.join(self.w, m.group(1))): os.remove(os.path.join(self.w, m.group(1)))
        for t in os.listdir(os.path.join(self.w, "templates")):
            p = os.path.join(self.w, "templates", t)
            if t.endswith(".mustache") and "{{#broken}}" in open(p).read(): open(p, "w").write(open(p).read().replace("{{#broken}}\n", ""))
        p = os.path.join(self.w, "versus.yml")
        if "baseurl" in open(p).read(): open(p, "w").write(re.sub(r"\n# differential.*", "", open(p).read(), flags=re.S) + "\n")

    def edits(self):
        f = self.edit_field
        table = [(self.edit_body, 8), (lambda: f("title"), 3), (lambda: f("date"), 2), (lambda: f("updated"), 2),
                 (lambda: f("description"), 2), (lambda: f("draft"), 2), (lambda: f("noindex"), 2), (lambda: f("aliases"), 2),
                 (lambda: f("slug"), 2), (lambda: f("subjects"), 2), (lambda: f("byline"), 1), (self.add, 3), (self.add_text, 1),
                 (self.remove, 2), (self.rename, 2), (self.move, 1), (self.bad_page, 1), (self.template, 2), (self.config, 2),
                 (self.static, 1), (self.touch, 2), (self.ledger, 1), (self.asset, 1), (self.line_ends, 1), (self.unicode_name, 1),
                 (self.link, 1), (self.ledger_by_hand, 2), (self.clash, 3), (self.edit_later, 5), (self.swap_kind, 2),
                 (self.move_folder, 1), (self.editor_copy, 1)]
        if self.args.hand_edits: table += [(self.hand_edit, 6), (self.hand_add, 1)]
        return table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--versus", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--serve", action="store_true", help="a running `versus serve` makes the incremental builds")
    ap.add_argument("--hand-edits", action="store_true", help="also change and remove files of output/ by hand")
    args = ap.parse_args()
    args.versus = os.path.abspath(args.versus)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="versus-differential-")
    project = Project(args, rng, work)
    project.setup()
    done, log, compared, server = [], [], 0, None
    events = lambda: []
    lines = lambda: []
    settled = None   # output/ as the server left it at the end of the last step (serve mode)
    try:
        if args.serve:
            serve_log = os.path.join(work, "serve.log")
            server = subprocess.Popen([args.versus, "serve", "--root", project.w, "--port", "0"],
                                      stdout=open(serve_log, "w"), stderr=subprocess.STDOUT)
            # The server's log lines, without the time a message starts with.
            lines = lambda: [re.sub(r"^\d\d:\d\d:\d\d ", "", l) for l in open(serve_log, errors="replace").read().replace(project.w, "ROOT").splitlines()]
            events = lambda: [l for l in lines() if re.search(r"\b(rebuilt|built|build failed)\b", l)]
            start = time.time()
            while not events():
                if time.time() - start > 60 or server.poll() is not None: sys.exit("FAIL versus serve did not build the site")
                time.sleep(0.1)
        else:
            project.build(project.w)
        table = project.edits()
        for step in range(args.steps):
            project.step_index, n = 0, rng.choice([1, 1, 1, 2, 3])
            while project.step_index < n:
                edit = rng.choices([e for e, _ in table], weights=[w for _, w in table])[0]
                said = edit()
                if said is None: continue   # not an edit for this moment: another
                log.append(f"{step}: {said}")
                project.step_index += 1
                if edit == project.hand_add: break
            clean = os.path.join(work, "c")
            shutil.rmtree(clean, ignore_errors=True)
            shutil.copytree(project.w, clean, symlinks=True, ignore=shutil.ignore_patterns("output", "output.staging*", ".versus"))
            before = tree(project.w + "/output") if os.path.isdir(project.w + "/output") else {}
            def quiet():   # until the server is quiet (a change seen late is a second rebuild)
                while True:
                    n = len(events()); time.sleep(0.6)
                    if len(events()) == n: return
            if args.serve:
                seen_lines = len(lines())
                seen, start = len(events()), time.time()
                while len(events()) == seen and time.time() - start < 5: time.sleep(0.05)
                quiet()
                status_c, said_c = project.build(clean)
                status_i, said_i = status_c, said_c
            else:
                status_i, said_i = project.build(project.w)
                status_c, said_c = project.build(clean)
            problem = None
            # A spare tree whose marker was removed by hand is no longer known as Versus's: the build
            # refuses to replace it (README, "Incremental builds") and leaves output/ as it was; it
            # goes once moved away (`heal`).
            refused = "ROOT/output.staging: error: holds" in said_i
            if refused and status_i != 0 and any(l.startswith(f"{step}: ") and "spare tree's marker" in l for l in log):
                if tree(project.w + "/output") != before: problem = "a build that refused the spare tree changed output/"
                else: status_c = status_i   # as expected: no comparison this step
            if problem: pass
            elif refused and status_c == status_i: pass
            elif status_i != status_c:
                problem = f"exit status: incremental {status_i}, clean {status_c}\n{said_i}\n{said_c}"
            elif sorted(said_i.splitlines()) != sorted(said_c.splitlines()):
                problem = f"diagnostics differ:\n--- incremental\n{said_i}--- clean\n{said_c}"
            elif status_i == 0:
                compared += 1
                a, b = tree(project.w + "/output"), tree(clean + "/output")
                # The server's timing is not the build's: on a slow machine it may see a change after
                # the waits above. Its output is looked at again after more quiet before it counts as
                # different (a wrong rebuild stays wrong; a late one is then done).
                for _ in range(4 if args.serve else 0):
                    if a == b: break
                    time.sleep(1); quiet()
                    a = tree(project.w + "/output")
                if a.keys() != b.keys():
                    problem = f"files differ: only incremental {sorted(a.keys() - b.keys())[:5]}, only clean {sorted(b.keys() - a.keys())[:5]}"
                elif a != b:
                    problem = f"bytes differ: {[f for f in a if a[f] != b[f]][:5]}"
                elif not args.serve:
                    ledger = lambda d: open(d + "/lastmod.tsv").read() if os.path.exists(d + "/lastmod.tsv") else None
                    if ledger(project.w) != ledger(clean): problem = "the ledgers differ"
            elif not args.serve and not any("output/" in l for l in log[-3:]) and tree(project.w + "/output") != before:
                problem = "a failed build changed output/"
            elif args.serve:
                # The server's last build failed too (it serves the last good site), it said why
                # as the build does, and a failed rebuild left output/ as the server had it.
                new_events, said = events()[seen:], lines()[seen_lines:]
                last = events()[-1] if events() else ""
                errors = [l for l in said_c.splitlines() if ": error:" in l]
                hand = any("output/" in l for l in log[-3:])
                if "build failed" not in last:
                    problem = f"a clean build failed, versus serve's last build did not: {last}\n{said_c}"
                elif new_events and not [l for l in errors if l not in said]:
                    if not hand and settled is not None and not any("build failed" not in e for e in new_events) \
                            and tree(project.w + "/output") != settled:
                        problem = "a failed rebuild of versus serve changed output/"
                elif new_events:
                    problem = "versus serve's errors differ from a clean build's:\n--- serve\n" + "\n".join(said) + "\n--- clean\n" + said_c
            if args.serve and status_c == 0 and not problem and events() and "build failed" in events()[-1]:
                problem = f"a clean build succeeded, versus serve's last build failed: {events()[-1]}"
            if problem:
                print(f"FAIL differential seed {args.seed} step {step}: {problem}\n  edits so far:\n    " + "\n    ".join(log[-12:]))
                sys.exit(1)
            if args.serve: settled = tree(project.w + "/output")
            project.last_ok = status_i == 0
            if status_i != 0 and (refused or rng.random() < 0.8): project.heal(said_i)
        mode = "versus serve" if args.serve else "versus build"
        print(f"ok   differential (seed {args.seed}): {args.steps} steps of random edits{' and hand edits to output/' if args.hand_edits else ''}, "
              f"{mode} equal to a clean build {compared} times, the same errors the other {args.steps - compared}")
    finally:
        if server: server.terminate(); server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Times Versus against Hugo and the cmark floor on the same generated corpora.

Everything runs on a tmpfs (/dev/shm): deleting tens of thousands of files on the
ext4 disk slows the file creations after it for minutes, which would measure the
disk, not the tools. Commands are alternated (A B A B ...) and the median of the
runs is reported, with the CPU time (user + system) and peak RSS of that run, as
/usr/bin/time reports them.
"""
import argparse, datetime, os, platform, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_MAX = 12720  # gen_corpus.py --format source: one page per pair of subjects


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, cwd=None):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak RSS MiB)."""
    fmt = "%e %U %S %M"
    r = subprocess.run(["/usr/bin/time", "-f", fmt] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    wall, user, system, rss = r.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss) / 1024


def median_run(samples):
    by_wall = sorted(samples, key=lambda s: s[0])
    return by_wall[len(by_wall) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--versus", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default=None, help="comma list, default 1000,10000 (+50000 with BENCH_LARGE=1)")
    a = ap.parse_args()
    versus = os.path.abspath(a.versus)
    gen = os.path.join(os.path.abspath(a.shared), "bench", "gen_corpus.py")
    floor_src = os.path.join(os.path.abspath(a.shared), "bench", "cmark_floor.c")
    sizes = [int(s) for s in a.sizes.split(",")] if a.sizes else [1000, 10000] + ([50000] if os.environ.get("BENCH_LARGE") == "1" else [])
    work = "/dev/shm/versus-bench"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    floor = os.path.join(work, "cmark_floor")
    sh(["cc", "-O2", "-o", floor, floor_src, "-lcmark"])
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip().split(" ")[0:2]
    templates = os.path.join(ROOT, "templates")

    rows = []
    for n in sizes:
        runs = a.runs if n <= 10000 else max(1, a.runs // 2)
        base = os.path.join(work, str(n))
        plain, hugo_site, source = base + "/plain", base + "/hugo", base + "/source"
        # The generator makes one source text per pair of its subjects: at most 12,720.
        with_source = n <= SOURCE_MAX
        formats = (("plain", plain), ("hugo", hugo_site)) + ((("source", source),) if with_source else ())
        for fmt, d in formats:
            target = d + "/content" if fmt != "hugo" else d
            sh([sys.executable, gen, "--pages", str(n), "--out", target, "--format", fmt], stderr=subprocess.DEVNULL)
        for d in ((plain, source) if with_source else (plain,)):
            shutil.copytree(templates, d + "/templates")
            with open(d + "/versus.yml", "w") as f:
                f.write('title: "Enterprise Engineering Comparisons"\nbase_url: "https://example.com"\n'
                        'description: "Side-by-side comparisons of enterprise engineering tools: pricing, security, operations and migration effort."\n')

        def versus_clean(d):
            shutil.rmtree(d + "/output", ignore_errors=True)
            shutil.rmtree(d + "/.versus", ignore_errors=True)
            return timed([versus, "build", "--root", d, "--clean", "--no-compress"])

        def hugo_clean():
            out = base + "/hugo-out"
            shutil.rmtree(out, ignore_errors=True)
            return timed(["hugo", "-s", hugo_site, "-d", out, "--quiet", "--cacheDir", base + "/hugo-cache"])

        def floor_run():
            out = base + "/floor-out"
            shutil.rmtree(out, ignore_errors=True)
            return timed([floor, plain + "/content", out])

        samples = {k: [] for k in ("versus", "hugo", "floor", "source", "nochange", "edit", "compressed")}
        edit_file = sorted(f for f in os.listdir(plain + "/content") if f.endswith(".md"))[n // 2]
        for i in range(runs):
            # Alternate the tools, so drift in the machine hits them alike.
            samples["versus"].append(versus_clean(plain))
            samples["hugo"].append(hugo_clean())
            samples["floor"].append(floor_run())
            samples["nochange"].append(timed([versus, "build", "--root", plain, "--no-compress"]))
            path = os.path.join(plain, "content", edit_file)
            with open(path) as f:
                text = f.read()
            marker = " (edited)" if i % 2 == 0 else ""
            with open(path, "w") as f:
                f.write(text.replace("both show up on enterprise shortlists", "both show up on enterprise shortlists" + marker, 1)
                        if marker else text.replace(" (edited)", "", 1))
            samples["edit"].append(timed([versus, "build", "--root", plain, "--no-compress"]))
            if with_source:
                samples["source"].append(versus_clean(source))
        # One default build (with the precompressed .br/.gz copies), for the record.
        shutil.rmtree(plain + "/output", ignore_errors=True)
        shutil.rmtree(plain + "/.versus", ignore_errors=True)
        samples["compressed"].append(timed([versus, "build", "--root", plain, "--clean"]))

        hugo = median_run(samples["hugo"])
        labels = [("versus", "Versus, clean build"), ("nochange", "Versus, no-change rebuild"),
                  ("edit", "Versus, one-page edit"), ("hugo", f"Hugo {hugo_version[1] if len(hugo_version) > 1 else ''}, clean build"),
                  ("source", "Versus, clean build from source texts"), ("floor", "cmark floor (C, 1 thread, no templates)"),
                  ("compressed", "Versus, clean build with .br/.gz copies")]
        for key, label in labels:
            if not samples[key]:
                continue
            wall, cpu, rss = median_run(samples[key])
            rows.append((n, label, wall, cpu, rss, wall / hugo[0], rss / hugo[2], len(samples[key])))
            print(f"{n:>6} {label:<42} {wall:7.2f} s wall {cpu:7.2f} s cpu {rss:8.0f} MiB  x{wall / hugo[0]:.2f} Hugo")
        shutil.rmtree(base, ignore_errors=True)

    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu_model = ""
    try:
        cpu_model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except Exception:
        pass
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {datetime.date.today()} (versus {commit}; {' '.join(hugo_version)}; "
        f"{os.cpu_count()} cores, {cpu_model}; output on /dev/shm).",
        "Corpora from `../shared/bench/gen_corpus.py` (Markdown with front-matter for Versus and the floor, "
        "the same pages as a Hugo site for Hugo, loose source texts for the last Versus row).",
        "Median of the runs shown; CPU is user + system time; RSS is peak resident memory (`/usr/bin/time`).",
        "Clean builds start with no output folder and no cache. Versus rows run with `--no-compress` (Hugo does not",
        "precompress); the last row of each size is one default build, which also writes the `.br`/`.gz` copies.",
        "The generator makes at most 12,720 source texts (one per pair), so the 50,000-page size has no source-text row.",
        "",
        "| pages | build | wall (s) | CPU (s) | peak RSS (MiB) | wall / Hugo | RSS / Hugo | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n, label, wall, cpu, rss, ratio, rss_ratio, count in rows:
        lines.append(f"| {n:,} | {label} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {ratio:.2f} | {rss_ratio:.2f} | {count} |")
    out = os.path.join(ROOT, "bench", "RESULTS.md")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

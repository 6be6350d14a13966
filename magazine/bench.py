"""``magazine bench``: how fast the pipeline is, measured against plain WeasyPrint.

Scenarios, each run in a fresh process and alternated run by run (medians of ``runs``):

- ``cold``: ``magazine build`` of the sample issue, print edition, with empty caches;
- ``plain``: the ``weasyprint`` command on the HTML that ``--emit-html`` wrote for the same
  build (the same fonts: the same isolated fontconfig);
- ``warm``: ``magazine build`` after one sentence of one article changed;
- ``no-change``: ``magazine build`` again with nothing changed;
- ``all editions``: print, screen and archive from one build, with empty caches;
- ``scale``: synthetic issues of about 100 and 500 pages made from the sample's articles
  (print edition): seconds per page and peak memory.

Paged.js (``pagedjs-cli``) and Vivliostyle (``vivliostyle``) are timed on the emitted HTML
when they are installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .fonts import isolated_fontconfig
from .themes import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "issues" / "2022-06"


def synthetic_issue(target: Path, *, pages: int, pictures: int = 0, source: Path = SAMPLE) -> Path:
    """An issue of about ``pages`` pages: the source issue's sections repeated (renumbered);
    with ``pictures`` distinct JPEGs spread over the gallery articles."""
    from PIL import Image

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    manifest = yaml.safe_load((target / "issue.yaml").read_text(encoding="utf-8"))
    sections = manifest["sections"]
    copies = max(1, round((pages - 6) / 34))
    if len(sections) * copies > 99:
        raise ValueError(f"{pages} pages would need more than 99 sections")
    gallery_sources = sorted((target / "images" / "gallery").glob("*.jpg"))
    originals = {a["file"]: (target / a["file"]).read_text(encoding="utf-8") for s in sections for a in s["articles"]}
    new_sections, made = [], 0
    for _ in range(copies):
        for section in sections:
            number = len(new_sections) + 1
            entry = json.loads(json.dumps(section))
            entry["number"] = f"{number:02d}"
            articles = []
            for article in section["articles"]:
                name = f"articles/{number:02d}-{Path(article['file']).name[3:]}"
                text = originals[article["file"]]
                if "layout: gallery" in text and made < pictures:
                    def repoint(match: re.Match) -> str:
                        nonlocal made
                        if made >= pictures:
                            return match.group(0)
                        picture = target / "images" / "synthetic" / f"p{made:04d}.jpg"
                        picture.parent.mkdir(exist_ok=True)
                        with Image.open(gallery_sources[made % len(gallery_sources)]) as image:
                            image = image.copy()
                            image.putpixel((made % image.width, 0), (made % 256, 0, 0))
                            image.save(picture, quality=88)
                        made += 1
                        return f"]({picture.relative_to(target).as_posix()})"
                    text = re.sub(r"\]\(([a-z]+-\d)\)", repoint, text)
                (target / name).write_text(text, encoding="utf-8")
                articles.append({**article, "file": name})
            entry["articles"] = articles
            new_sections.append(entry)
    manifest["sections"] = new_sections
    (target / "issue.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return target


@dataclass
class Scenario:
    name: str
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)
    pages: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def _run(command: list[str], env: dict | None = None, cwd: Path = PROJECT_ROOT) -> tuple[float, float, str]:
    """(seconds, peak memory in MB, output) of one command in a fresh process.

    The memory is the peak, sampled every 20 ms, of the sum of the proportional set sizes
    (PSS: shared pages divided among the processes sharing them) of the process and all its
    descendants: the builds lay out parts in worker processes, whose memory counts too.
    Where ``/proc`` has no PSS, the largest resident set of the process tree is used."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    sampler = _TreeMemory(process.pid)
    sampler.start()
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    sampler.stop()
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    peak = sampler.peak_mb if sampler.peak_mb else usage.ru_maxrss / 1024
    return elapsed, peak, output


class _TreeMemory(threading.Thread):
    """Samples the total PSS of a process and its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            total = sum(_pss_kb(pid) for pid in _descendants(self.pid))
            self.peak_mb = max(self.peak_mb, total / 1024)
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pages(output: str) -> int:
    found = re.search(r"(\d+) pages", output)
    return int(found.group(1)) if found else 0


def run_benchmark(runs: int = 5, *, scale: tuple[int, ...] = (100, 500), work: Path | None = None) -> dict:
    """Run every scenario ``runs`` times, alternating; return the results (see ``table``)."""
    work = Path(work or tempfile.mkdtemp(prefix="magazine-bench-"))
    magazine = [sys.executable, "-c", "from cli import app; app()"]
    issue = work / "issue" / "2022-06"
    shutil.copytree(SAMPLE, issue, dirs_exist_ok=True)
    article = issue / "articles" / "01-1-economy-package.md"
    original = article.read_text(encoding="utf-8")
    warm_cache = work / "cache"
    html = work / "html" / "2022-06.html"
    _run([*magazine, "build", str(issue), "--out", str(html.parent), "-e", "print", "--emit-html", "-q"],
         {"MAGAZINE_CACHE": str(warm_cache)})
    fontconfig = {"FONTCONFIG_FILE": str(isolated_fontconfig())}
    scenarios = {name: Scenario(name) for name in ("cold", "plain", "warm", "no-change", "all editions")}
    others = {"pagedjs-cli": ["pagedjs-cli", str(html), "-o", str(work / "pagedjs.pdf")],
              "vivliostyle": ["vivliostyle", "build", str(html), "-o", str(work / "vivliostyle.pdf")]}
    available = {name: command for name, command in others.items() if shutil.which(command[0])}
    scenarios.update({name: Scenario(name) for name in available})
    for run in range(runs):
        out = work / f"out-{run}"
        cold_cache = work / f"cold-cache-{run}"
        seconds, rss, output = _run([*magazine, "build", str(issue), "--out", str(out), "-e", "print", "-q"],
                                    {"MAGAZINE_CACHE": str(cold_cache)})
        scenarios["cold"].seconds.append(seconds)
        scenarios["cold"].peak_rss_mb.append(rss)
        scenarios["cold"].pages = _pages(output)
        seconds, rss, _ = _run([sys.executable, "-m", "weasyprint", str(html), str(work / f"plain-{run}.pdf")],
                               fontconfig)
        scenarios["plain"].seconds.append(seconds)
        scenarios["plain"].peak_rss_mb.append(rss)
        article.write_text(original.replace("稳住经济盘", f"稳住经济大盘{run}"), encoding="utf-8")
        seconds, rss, _ = _run([*magazine, "build", str(issue), "--out", str(out), "-e", "print", "-q"],
                               {"MAGAZINE_CACHE": str(cold_cache)})
        scenarios["warm"].seconds.append(seconds)
        scenarios["warm"].peak_rss_mb.append(rss)
        seconds, rss, _ = _run([*magazine, "build", str(issue), "--out", str(out), "-e", "print", "-q"],
                               {"MAGAZINE_CACHE": str(cold_cache)})
        scenarios["no-change"].seconds.append(seconds)
        scenarios["no-change"].peak_rss_mb.append(rss)
        seconds, rss, _ = _run([*magazine, "build", str(issue), "--out", str(work / f"all-{run}"), "-q"],
                               {"MAGAZINE_CACHE": str(work / f"all-cache-{run}")})
        scenarios["all editions"].seconds.append(seconds)
        scenarios["all editions"].peak_rss_mb.append(rss)
        for name, command in available.items():
            seconds, rss, _ = _run(command)
            scenarios[name].seconds.append(seconds)
            scenarios[name].peak_rss_mb.append(rss)
        shutil.rmtree(cold_cache, ignore_errors=True)
        shutil.rmtree(work / f"all-cache-{run}", ignore_errors=True)
    article.write_text(original, encoding="utf-8")
    scaled = {}
    for pages in scale:
        synthetic = synthetic_issue(work / "synthetic" / f"s{pages}", pages=pages)
        scenario = Scenario(f"scale {pages}")
        for _ in range(max(1, runs // 2 if pages > 200 else runs)):
            seconds, rss, output = _run([*magazine, "build", str(synthetic), "--out", str(work / f"syn-{pages}"),
                                         "-e", "print", "-q", "--no-cache"], {"MAGAZINE_CACHE": str(warm_cache)})
            scenario.seconds.append(seconds)
            scenario.peak_rss_mb.append(rss)
            scenario.pages = _pages(output)
        scaled[pages] = scenario
    return _results(scenarios, scaled, available, runs)


def _results(scenarios: dict[str, Scenario], scaled: dict[int, Scenario], available: dict, runs: int) -> dict:
    cold = scenarios["cold"].median
    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform},
        "runs": runs,
        "scenarios": {name: {"median_s": round(s.median, 3), "runs_s": [round(v, 3) for v in s.seconds],
                             "peak_rss_mb": round(max(s.peak_rss_mb), 1) if s.peak_rss_mb else None,
                             "pages": s.pages or None} for name, s in scenarios.items()},
        "scale": {str(pages): {"pages": s.pages, "median_s": round(s.median, 3),
                               "s_per_page": round(s.median / s.pages, 4) if s.pages else None,
                               "peak_rss_mb": round(max(s.peak_rss_mb), 1)} for pages, s in scaled.items()},
        "ratios": {
            "cold / plain": round(cold / scenarios["plain"].median, 2),
            "warm / cold": round(scenarios["warm"].median / cold, 2),
            "no-change / cold": round(scenarios["no-change"].median / cold, 3),
            "all editions / one edition": round(scenarios["all editions"].median / cold, 2),
        },
        "not installed": sorted({"pagedjs-cli", "vivliostyle"} - set(available)),
    }
    if len(scaled) >= 2:
        small, large = sorted(scaled)[:2]
        a, b = scaled[small], scaled[large]
        if a.pages and b.pages:
            per_page = (b.median / b.pages) / (a.median / a.pages)
            results["ratios"][f"s/page {large} / s/page {small}"] = round(per_page, 2)
    return results


def table(results: dict) -> str:
    lines = [f"{'scenario':18} {'median s':>9} {'peak MB':>8} {'pages':>6}  runs (s)"]
    for name, s in results["scenarios"].items():
        runs = " ".join(f"{v:.2f}" for v in s["runs_s"])
        lines.append(f"{name:18} {s['median_s']:>9.2f} {s['peak_rss_mb'] or 0:>8.0f} {s['pages'] or '':>6}  {runs}")
    for pages, s in results["scale"].items():
        lines.append(f"{'scale ' + pages:18} {s['median_s']:>9.2f} {s['peak_rss_mb']:>8.0f} {s['pages']:>6}  "
                     f"{s['s_per_page']} s/page")
    lines.append("")
    lines += [f"{name:28} {value}" for name, value in results["ratios"].items()]
    if results["not installed"]:
        lines.append(f"not installed, not timed: {', '.join(results['not installed'])}")
    return "\n".join(lines)

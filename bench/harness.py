"""Timing, percentiles, the machine's description and the results file."""

import contextlib
import datetime as dt
import json
import math
import os
import platform
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"
README_START = "<!-- bench:readme:start -->"
README_END = "<!-- bench:readme:end -->"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def timings(fn: Callable[[], object], *, repeat: int, warmup: int = 2) -> list[float]:
    """Seconds per call of ``fn`` after ``warmup`` untimed calls."""
    for _i in range(warmup):
        fn()
    seconds = []
    for _i in range(repeat):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return seconds


def once(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


@dataclass
class Figure:
    """One measured value: seconds (shown in ms or s), megabytes or a count."""

    value: float | None
    unit: str = "s"  # s, MB, n
    p95: float | None = None  # for latency figures: value is p50

    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.unit == "MB":
            return f"{self.value:,.0f} MB"
        if self.unit == "n":
            return f"{self.value:,.0f}"
        if self.p95 is not None:
            return f"p50 {ms(self.value)} / p95 {ms(self.p95)}"
        return ms(self.value) if self.value < 1 else f"{self.value:,.2f} s"

    @property
    def headline(self) -> float | None:
        """The figure compared with targets and baselines: p95 when there is one."""
        return self.p95 if self.p95 is not None else self.value


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 0.1 else f"{seconds * 1000:,.0f} ms"


@dataclass
class Line:
    work: str
    product: Figure
    baseline: Figure | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline.headline or self.product.headline is None:
            return None
        return self.product.headline / self.baseline.headline

    def ratio_text(self) -> str:
        return f"{self.ratio:.1f} ×" if self.ratio is not None else "—"

    def met_text(self) -> str:
        return {True: "yes", False: "**no**", None: ""}[self.met]


@dataclass
class Results:
    lines: list[Line] = field(default_factory=list)
    queries: list[tuple[str, int | None, int | None]] = field(default_factory=list)  # page, small data, full data
    data: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    plans: list[tuple[str, str]] = field(default_factory=list)  # title, EXPLAIN ANALYZE output
    machine: dict[str, str] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def add(self, line: Line, say=print) -> Line:
        self.lines.append(line)
        baseline = line.baseline.text() if line.baseline else "—"
        say(
            f"{line.work:<58} product {line.product.text():>26}   baseline {baseline:>26}   "
            f"ratio {line.ratio_text():>7}   {('target ' + line.target) if line.target else ''} "
            f"{'' if line.met is None else ('met' if line.met else 'MISSED')}"
        )
        return line


# --- the machine ----------------------------------------------------------------------------------------


def machine(connection) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    memory = ""
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    cpu = ""
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1).strip()
    commit = os.environ.get("BENCH_COMMIT", "")  # when measuring an exported tree
    try:
        commit = (
            commit
            or subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False, timeout=5
            ).stdout.strip()
        )
    except (OSError, subprocess.SubprocessError):
        commit = ""
    import django

    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "postgresql": f"{pg} (shared_buffers {buffers})",
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": commit,
        "load": "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg()),
    }


# --- writing ------------------------------------------------------------------------------------------------


def render(results: Results) -> str:
    m = results.machine
    out = [
        f"Measured {m.get('date', '')} on {m.get('cores', '?')} cores ({m.get('cpu', '')}), {m.get('memory', '')} "
        f"memory, PostgreSQL {m.get('postgresql', '')}, Python {m.get('python', '')}, Django {m.get('django', '')}, "
        f"commit {m.get('commit', '') or '?'}.",
        "",
        f"Load average at the start {m.get('load', '?')}, at the end {m.get('load_end', '?')} "
        "(other work on the same cores shows here: figures measured while others compile or run tests are slower).",
        "",
    ]
    if results.data:
        out += ["Data: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                     for k, v in results.data.items()) + ".", ""]  # fmt: skip
    out += [
        "| work | product | baseline (raw PostgreSQL / WeasyPrint) | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for line in results.lines:
        baseline = line.baseline.text() if line.baseline else "—"
        work = line.work + (f" ({line.note})" if line.note else "")
        out.append(
            f"| {work} | {line.product.text()} | {baseline} | {line.ratio_text()} | {line.target} | {line.met_text()} |"
        )
    if results.queries:
        out += [
            "",
            "SQL queries per page (CaptureQueriesContext), small data against full data: they must not grow.",
            "",
            "| page | small data | full data |",
            "| --- | --- | --- |",
        ]
        for page, small, full in results.queries:
            out.append(f"| {page} | {'—' if small is None else small} | {'—' if full is None else full} |")
    if results.notes:
        out += ["", *[f"- {note}" for note in results.notes]]
    for title, plan in results.plans:
        out += ["", f"<details><summary>{title}</summary>", "", "```", plan.rstrip(), "```", "", "</details>"]
    out.append("")
    out.append(f"The whole run took {time.perf_counter() - results.started:,.0f} s.")
    return "\n".join(out)


def replace_between(text: str, start: str, end: str, body: str) -> str:
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        return text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_results(path: Path, results: Results) -> None:
    """Write the measured part of the results file, keeping what is written around it by hand."""
    text = path.read_text() if path.exists() else "# Benchmark results\n\nWritten by `make bench`.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(replace_between(text, START, END, render(results)))


def readme_table(results: Results) -> str:
    m = results.machine
    out = [
        "| work | product | baseline | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    for line in results.lines:
        baseline = line.baseline.text() if line.baseline else "—"
        out.append(f"| {line.work} | {line.product.text()} | {baseline} | {line.ratio_text()} | {line.target} |")
    out.append("")
    out.append(
        f"Measured {m.get('date', '')} on {m.get('cores', '?')} cores, "
        f"PostgreSQL {m.get('postgresql', '?').split()[0]}, "
        f"load average {m.get('load', '?')}; details, query counts and profiles in `bench/results.md`."
    )
    return "\n".join(out)


def write_readme(path: Path, results: Results) -> bool:
    """Replace the figures in the README's Benchmarks section; False when the section has no markers."""
    if not path.exists():
        return False
    text = path.read_text()
    if README_START not in text or README_END not in text:
        return False
    path.write_text(replace_between(text, README_START, README_END, readme_table(results)))
    return True


# --- two sizes side by side (make bench-scale) ------------------------------------------------------------


def markers(label: str | None) -> tuple[str, str]:
    """The results file's markers for a run at one size (``--label 10x``), or the plain ones."""
    if not label:
        return START, END
    return f"<!-- bench:results:{label}:start -->", f"<!-- bench:results:{label}:end -->"


def write_labelled(path: Path, results: Results, label: str, parts: tuple[str, ...] | None = None) -> None:
    """The run at one size between its own markers, and its figures as JSON for ``write_comparison``."""
    text = path.read_text() if path.exists() else "# Benchmark results\n\nWritten by `make bench`.\n"
    # A run of some parts only (``--parts``) gets a section of its own and joins the label's figures.
    section = label if parts is None else f"{label}:{'+'.join(parts)}"
    start, end = markers(section)
    path.write_text(replace_between(text, start, end, f"### Size {label} ({section})\n\n" + render(results)))
    earlier = []
    if parts is not None and json_path(path, label).exists():
        works = {line.work for line in results.lines}
        earlier = [x for x in json.loads(json_path(path, label).read_text())["lines"] if x["work"] not in works]
    data = {
        "machine": results.machine,
        "data": dict(results.data),
        "lines": [
            {
                "work": line.work,
                "product": line.product.__dict__,
                "baseline": line.baseline.__dict__ if line.baseline else None,
                "target": line.target,
                "met": line.met,
                "note": line.note,
            }
            for line in results.lines
        ]
        + earlier,
    }
    json_path(path, label).write_text(json.dumps(data, indent=1, ensure_ascii=False))


def json_path(results_path: Path, label: str) -> Path:
    return results_path.parent / "data" / f"results-{label}.json"


def _load(results_path: Path, label: str) -> dict:
    data = json.loads(json_path(results_path, label).read_text())
    for line in data["lines"]:
        line["product"] = Figure(**line["product"])
        line["baseline"] = Figure(**line["baseline"]) if line["baseline"] else None
    return data


def write_comparison(path: Path, labels: list[str]) -> str:
    """One table of every work at each size: product and baseline side by side, and the goal met at each."""
    runs = {label: _load(path, label) for label in labels}
    head = "| work | target | " + " | ".join(f"{label}: product | {label}: baseline | {label}: met" for label in labels)
    out = [head + " |", "| --- | --- | " + " | ".join("--- | --- | ---" for _l in labels) + " |"]

    def key(work: str) -> str:
        # The months and page numbers depend on the data (its latest closed month): the same work.
        work = re.sub(r"\b\d{4}-\d{2}\b", "…", work)
        work = re.sub(r"last page \(\d+(, by cursor)?\)", r"last page\1", work)
        return re.sub(r"close, [\d,]+ agencies", "close, every agency", work)

    works = []
    for label in labels:
        for line in runs[label]["lines"]:
            if key(line["work"]) not in works:
                works.append(key(line["work"]))
    for work in works:
        cells, target = [], ""
        for label in labels:
            line = next((x for x in runs[label]["lines"] if key(x["work"]) == work), None)
            if line is None:
                cells += ["—", "—", ""]
                continue
            target = target or line["target"]
            cells += [
                line["product"].text(),
                line["baseline"].text() if line["baseline"] else "—",
                {True: "yes", False: "**no**", None: ""}[line["met"]],
            ]
        out.append(f"| {work} | {target} | " + " | ".join(cells) + " |")
    out.append("")
    for label in labels:
        m, d = runs[label]["machine"], runs[label]["data"]
        facts = ", ".join(f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in d.items())
        out.append(
            f"- {label}: {facts}; measured {m.get('date', '')}, commit {m.get('commit', '?')}, "
            f"load average {m.get('load', '?')} → {m.get('load_end', '?')}."
        )
    body = "\n".join(out)
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    path.write_text(replace_between(text, "<!-- bench:compare:start -->", "<!-- bench:compare:end -->", body))
    return body

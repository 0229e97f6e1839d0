"""Report analysis speed: sentences per second, model load time and peak memory.

Target (issue 4): at least 2,000 sentences/s on a 2-core machine, model load under 2 s,
memory under 1 GiB. The baseline, measured in the same run on the same sentences, is the
grid's cue matcher alone (the keyword engine's matching step). Sentences come from
../shared/corpus/aims when present, otherwise from a synthetic statement.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aims"
RUNS = 3
SYNTHETIC = [
    "This statement is made by Acme Pty Ltd (ABN 12 345 678 901) under the Modern Slavery Act",
    "Acme is a wholly owned subsidiary of Acme Holdings Limited",
    "We operate 12 warehouses in Australia and employ 400 people",
    "Our supply chain includes suppliers of packaging and electronics from China and Malaysia",
    "The risk of forced labour is highest in our electronics supply chain",
    "We audited 40 suppliers against our Supplier Code of Conduct",
    "We will roll out training to all procurement staff in FY2025",
    "This statement was approved by the Board of Directors on 30 June 2023",
]


def _statements() -> list[list[str]]:
    if (CORPUS / "au_dev.csv").exists():
        from ungpkit.reporting.data import load_labelled

        statements = []
        for name in ("au_dev.csv", "uk_sentences.csv", "ca_sentences.csv"):
            statements.extend(s.sentences for s in load_labelled(CORPUS / name))
        return statements
    return [list(SYNTHETIC) * 12 for _ in range(80)]


def _best(function, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    """Print the figures."""
    started = time.perf_counter()
    from ungpkit.reporting.model import DEFAULT_MODEL, SentenceModel

    imported = time.perf_counter() - started
    tracemalloc.start()
    started = time.perf_counter()
    model = SentenceModel.load()
    load = time.perf_counter() - started
    _, load_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    statements = _statements()
    total = sum(len(s) for s in statements)

    def classify() -> None:  # what `ungpkit classify` and `eval` run: statements batched
        for _ in model.predict_many(statements):
            pass

    def one_by_one() -> None:  # what checking one report at a time runs
        for sentences in statements:
            model.predict(sentences)

    from ungpkit.analysis.cues import compile_cues
    from ungpkit.framework import default_framework

    grid = default_framework().grid("modern-slavery-au")
    cue_sets = [compile_cues(tuple(e.cues.get("en")), "en") for e in grid.elements]

    def cues_only() -> None:
        for sentences in statements:
            for text in sentences:
                for cues in cue_sets:
                    cues.search(text)

    model_time = _best(classify)
    single_time = _best(one_by_one)
    tracemalloc.start()
    classify()  # once more, traced (tracemalloc slows it down: not timed)
    _, run_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    baseline = _best(cues_only)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Report analysis on {total} sentences ({len(statements)} statements), best of {RUNS}")
    print(f"  model file     {DEFAULT_MODEL.stat().st_size / 1e6:6.1f} MB")
    print(f"  import         {imported:6.2f} s   (scikit-learn, numpy, scipy)")
    print(f"  model load     {load:6.2f} s   (target < 2 s incl. import: {imported + load:.2f} s)")
    print(f"  sentence model {total / model_time:8.0f} sentences/s   (target >= 2,000; batched)")
    print(f"  one statement  {total / single_time:8.0f} sentences/s   (a report at a time)")
    print(f"  cue baseline   {total / baseline:8.0f} sentences/s   (grid cues, 11 elements)")
    print(
        f"  peak traced    {max(load_peak, run_peak) / 2**20:6.0f} MiB "
        f"(load {load_peak / 2**20:.0f}, classify {run_peak / 2**20:.0f})"
    )
    print(f"  peak RSS       {rss:6.0f} MiB   (target < 1024)")


if __name__ == "__main__":
    main()

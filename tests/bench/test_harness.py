"""Percentiles and the results file of the benchmark harness (no database needed)."""

from bench import harness


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 21)]
    assert harness.percentile(values, 50) == 10
    assert harness.percentile(values, 95) == 19
    assert harness.percentile([3.0], 95) == 3


def test_results_file_keeps_text_written_around_the_figures(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(f"# Results\n\n{harness.START}\nold\n{harness.END}\n\n## Analysis by hand\n")
    results = harness.Results(lines=[harness.Line("one invoice PDF", harness.Figure(0.2), harness.Figure(0.05))])
    harness.write_results(path, results)
    text = path.read_text()
    assert "old" not in text
    assert "| one invoice PDF | 200 ms | 50.0 ms | 4.0 × |" in text
    assert text.endswith("## Analysis by hand\n")


def _results(lines):
    results = harness.Results(machine={"date": "2026-12-02", "commit": "abc"}, data={"payroll_cases": 3})
    results.lines = lines
    return results


def test_two_sizes_are_written_side_by_side_and_a_partial_run_joins_its_size_whatever_its_agencies(tmp_path):
    path = tmp_path / "results.md"
    (tmp_path / "data").mkdir()
    path.write_text("# Results\n\nby hand\n")
    small = [
        harness.Line(
            "case list, period 2026-10, last page (51, by cursor)", harness.Figure(0.02, p95=0.03), harness.Figure(0.01)
        ),
        harness.Line("import", harness.Figure(2.0), harness.Figure(1.0), target="≤ 1.5 ×", met=False),
        harness.Line("monthly close, 33 agencies, with all PDFs", harness.Figure(3.0), harness.Figure(1.0)),
    ]
    harness.write_labelled(path, _results(small), "1x")
    large = [
        harness.Line("case list, period 2022-05, last page (62, by cursor)", harness.Figure(0.05, p95=0.2), None),
        harness.Line("monthly close, 330 agencies, with all PDFs", harness.Figure(30.0), harness.Figure(10.0)),
    ]
    harness.write_labelled(path, _results(large), "10x", parts=("list",))
    harness.write_labelled(
        path, _results([harness.Line("import", harness.Figure(4.0), harness.Figure(2.0))]), "10x", ("import",)
    )

    table = harness.write_comparison(path, ["1x", "10x"])

    text = path.read_text()
    assert text.startswith("# Results\n\nby hand\n")
    assert "<!-- bench:results:1x:start -->" in text and "<!-- bench:results:10x:list:start -->" in text
    rows = [row for row in table.splitlines() if row.startswith(("| case list", "| import", "| monthly close"))]
    # The same work at both sizes on one row, whatever month, last page and agencies the data gave it.
    assert rows == [
        "| case list, period …, last page, by cursor |  | p50 20.0 ms / p95 30.0 ms | 10.0 ms |  | "
        "p50 50.0 ms / p95 200 ms | — |  |",
        "| import | ≤ 1.5 × | 2.00 s | 1.00 s | **no** | 4.00 s | 2.00 s |  |",
        "| monthly close, every agency, with all PDFs |  | 3.00 s | 1.00 s |  | 30.00 s | 10.00 s |  |",
    ]

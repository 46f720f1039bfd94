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

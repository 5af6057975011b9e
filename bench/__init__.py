"""The benchmark harness: `python bench/run.py` (see its `--help`)."""

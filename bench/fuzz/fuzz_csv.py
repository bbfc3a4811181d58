"""atheris harness: tests.fuzz.targets.TARGETS["csv"], coverage-guided (bench/fuzz/run.py)."""

import _harness

if __name__ == "__main__":
    _harness.fuzz("csv")

"""atheris harness: tests.fuzz.targets.TARGETS["archive"], coverage-guided (bench/fuzz/run.py)."""

import _harness

if __name__ == "__main__":
    _harness.fuzz("archive")

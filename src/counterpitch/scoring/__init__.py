"""Scoring: what the findings are worth. Detectors say what they saw; this stage weighs it and says why."""

from counterpitch.scoring.model import Scorer, ScoreTrail, load_default_scorer

__all__ = ["ScoreTrail", "Scorer", "load_default_scorer"]

"""The web service: staff report approaches, analysts triage them, campaigns and alerts (see README.md here)."""

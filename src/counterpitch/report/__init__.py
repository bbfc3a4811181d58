"""Reports people read and keep: self-contained HTML (no external assets, opens offline), escaped throughout."""

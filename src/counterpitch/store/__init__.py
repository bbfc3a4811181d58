"""Where the web service keeps reports, cases, campaigns, users and the audit log (SQLAlchemy 2, Alembic)."""

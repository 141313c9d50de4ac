"""Alembic migrations of the review database (shipped with the package, run on start and by
``streamkit review migrate``): see :func:`streamkit.plugins.review.db.migrate`."""

"""The database underneath the models: engine settings, write transactions, the SQLite write lock,
bulk row writers, schema creation and Alembic migrations.
"""

"""village blueprint (see its views module)."""

"""api blueprint (see its views module)."""

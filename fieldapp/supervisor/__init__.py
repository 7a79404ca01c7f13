"""supervisor blueprint (see its views module)."""

"""collector blueprint (see its views module)."""

"""admin blueprint (see its views module)."""

"""Admin views: audit."""

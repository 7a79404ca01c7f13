"""Admin views: users."""

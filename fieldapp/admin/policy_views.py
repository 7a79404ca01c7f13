"""Admin views: policy."""

"""Supervisor views."""

"""WTForms classes: the one place where field rules are written (docs/architecture.md)."""

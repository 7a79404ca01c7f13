"""WTForms classes: the one place where field rules are written (DESIGN §2)."""

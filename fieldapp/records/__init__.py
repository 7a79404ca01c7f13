"""The synced record types: one declaration each (types.py), their forms (the one place field
rules are written), how fields map to columns (columns.py), and what derives from them.
"""

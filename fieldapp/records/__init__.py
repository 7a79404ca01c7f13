"""The synced record types: their forms (the one place field rules are written) and what derives
from them.
"""

"""Reports for the desk: figures computed by the database for a user's scope.

Each module takes a Scope and returns plain rows that a supervisor view renders (and later an
export writes); no report reads request objects. Progress against plan, the monthly synthesis
and payers due or lapsed land here beside overview.py.
"""

"""Rules that hold whatever the page or API: who may see and write what (access), the area tree,
the premium calculator (policy) and the audit log.
"""

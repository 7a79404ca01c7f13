"""Data in and out of the server: flask commands, CSV imports, the analyst's export, the demo.
"""

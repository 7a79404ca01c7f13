"""What every page and API answer shares: error answers, security headers, labels, paging and
rate limits.
"""

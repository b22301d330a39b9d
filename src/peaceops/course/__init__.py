"""Layer 0, the course as files: where the checkout is, its table of contents, its pages.

Imports nothing else of peaceops; every other layer may import it.
"""

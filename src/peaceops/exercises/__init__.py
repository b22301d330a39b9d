"""Layer 3, the practice exercises: ipywidgets for JupyterLab and the generated notebooks.

Imports the bank and the data (and the course's pages), never the book or the grading.
"""

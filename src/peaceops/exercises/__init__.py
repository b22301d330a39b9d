"""Layer 3, the practice exercises: questions answered in the web page (``web``), ipywidgets
for JupyterLab (``widgets``) and the generated notebooks.

Imports the bank and the data (and the course's pages), never the book or the grading.
"""

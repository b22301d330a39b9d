"""Layer 3, the graded quizzes on nbgrader: items, quizzes, release, collect, autograde,
gradebook, results and item analysis.

Imports the bank and the data (and the course's toc), never the book, the exercises or
the command line.
"""

"""Grading on top of nbgrader: sandboxed parallel autograde, leak-free feedback, export, report."""

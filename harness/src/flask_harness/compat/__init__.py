"""Suites written for pytest-flask and Flask-Testing, on the harness with the smallest change."""

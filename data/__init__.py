"""Bundled data: the seed facts and reference data as source files.

A package only so that the files ship in wheels; see README.md here.
"""

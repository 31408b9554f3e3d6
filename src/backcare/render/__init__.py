"""Renderers: turn views (views.py) into text. Only this package formats output.

table.py is the only module that imports Rich; the JSON, plain and Markdown paths never do.
"""

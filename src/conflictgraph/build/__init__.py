"""The build pipeline: parse graph folders, validate them against the shapes, load them into a
store, and apply the inference rules (``pipeline`` for local stores, ``remote`` for SPARQL ones).
"""

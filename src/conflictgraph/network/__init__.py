"""From graph to network: the projection (``projection``), its kept copies (``cache``), the
analyses (``analyze``) and the network file formats (``export``).
"""

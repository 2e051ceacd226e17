"""Asking the graph: named queries, looking entities up by name, describing one entity,
claims, disagreements and timelines. Every function here reads a store and returns rows.
"""

"""RDF basics every layer shares: namespaces, plain terms, SPARQL text handling and safety.

Nothing here touches a store; ``conflictgraph.store`` and everything above build on it.
"""

"""Use cases. Each call is one transaction and returns a ``Changes`` summary. No Qt."""

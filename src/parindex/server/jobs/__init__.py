"""Long work off the request: background jobs of every kind (draws, imports, renders)."""

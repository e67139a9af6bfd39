"""Repository policies (both services) and the registry policy."""

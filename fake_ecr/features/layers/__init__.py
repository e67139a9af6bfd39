"""Layer uploads, layer availability and layer downloads of both services."""

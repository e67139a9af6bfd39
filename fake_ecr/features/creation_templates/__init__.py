"""Repository creation templates, and create on push."""

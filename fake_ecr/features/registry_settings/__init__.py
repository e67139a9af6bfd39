"""Account settings and pull-time update exclusions."""

"""Image scans, scan on push, registry scanning configuration, and the findings tests decide."""

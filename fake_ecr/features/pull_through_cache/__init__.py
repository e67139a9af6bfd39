"""Pull through cache rules and pulls from test-defined upstream registries."""

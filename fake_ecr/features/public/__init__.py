"""ECR Public's Region rule, its registries, aliases and catalog data."""

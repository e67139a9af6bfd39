"""GetAuthorizationToken: docker-login tokens valid for 12 hours."""

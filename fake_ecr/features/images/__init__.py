"""Images of both services: push (PutImage), pull (BatchGetImage), listings, deletion, referrers,
the archive storage class, and what manifests reference."""

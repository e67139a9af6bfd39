"""Lifecycle policies: validation, previews and expiry with one evaluation engine."""

"""Signing configuration and the signing status of pushed images."""

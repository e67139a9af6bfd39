"""Repositories of both services: create, describe, delete, settings, resource tags, and the
repositories ECR creates on demand."""

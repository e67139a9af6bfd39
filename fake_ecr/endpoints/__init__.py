"""Network front doors of the fake: a loopback HTTP server and the apps mounted on it.

The registry app (``endpoints.registry``) speaks the OCI Distribution protocol that container
clients use. Apps are plain callables taking a :class:`~.http_server.Request` and returning a
:class:`~.http_server.Response`, so other front doors can share the same server.
"""

"""Access control (opt-in): who may do what, decided as IAM decides it for ECR and ECR Public.

Every call is authorized before its handler runs when the fake's access control is on: the
caller's identity-based policies (``fake.identities``) and the resource-based policies of the
repository and the registry are evaluated by one engine (``engine.py``), which also answers
replication's and pull through cache's service principals.
"""

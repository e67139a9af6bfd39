"""What fake_ecr knows of AWS beyond ECR itself: partitions, the JSON AWS accepts, botocore's data.

A foundation layer: the model, the core and the features may import it; it imports nothing of
fake_ecr but ``errors``.
"""

"""The in-memory model: registries, repositories and images, owned by one fake.

Nothing here knows about botocore or wire formats; handlers translate between the API and
this model. Every mutation happens under the owning fake's lock (see ``FakeECR``).
"""

from fake_ecr.model.backend import Backend
from fake_ecr.model.image import Image
from fake_ecr.model.public import PublicRegistry, PublicRepository
from fake_ecr.model.registry import Registry
from fake_ecr.model.repository import Repository

__all__ = ["Backend", "Image", "PublicRegistry", "PublicRepository", "Registry", "Repository"]

"""The in-memory model: registries, repositories and images, owned by one fake.

Nothing here knows about botocore or wire formats; handlers translate between the API and
this model. Every mutation happens under the owning fake's lock (see ``FakeECR``).
"""

from .backend import Backend
from .image import Image
from .public import PublicRegistry, PublicRepository
from .registry import Registry
from .repository import Repository

__all__ = ["Backend", "Image", "PublicRegistry", "PublicRepository", "Registry", "Repository"]

"""The capabilities of the fake, one package each, and the one list that wires them.

Each package holds a capability's rules, its handlers for both services and the controls a test
steers it with; its ``feature.py`` declares the ``Feature``: the operation tables it serves and
the hooks it subscribes to. :data:`FEATURES` is the only list of them; its order is the order in
which hook subscribers run. :func:`wiring` builds the operation table and hook lists from it
once, when the first fake starts (never on a call).
"""

from __future__ import annotations

import functools

from fake_ecr.core.wiring import Feature, Wiring
from fake_ecr.features.access_control.feature import FEATURE as ACCESS_CONTROL
from fake_ecr.features.authorization.feature import FEATURE as AUTHORIZATION
from fake_ecr.features.creation_templates.feature import FEATURE as CREATION_TEMPLATES
from fake_ecr.features.images.feature import FEATURE as IMAGES
from fake_ecr.features.layers.feature import FEATURE as LAYERS
from fake_ecr.features.lifecycle.feature import FEATURE as LIFECYCLE
from fake_ecr.features.policies.feature import FEATURE as POLICIES
from fake_ecr.features.public.feature import FEATURE as PUBLIC
from fake_ecr.features.pull_through_cache.feature import FEATURE as PULL_THROUGH_CACHE
from fake_ecr.features.registry_settings.feature import FEATURE as REGISTRY_SETTINGS
from fake_ecr.features.replication.feature import FEATURE as REPLICATION
from fake_ecr.features.repositories.feature import FEATURE as REPOSITORIES
from fake_ecr.features.scanning.feature import FEATURE as SCANNING
from fake_ecr.features.signing.feature import FEATURE as SIGNING

FEATURES: tuple[Feature, ...] = (
    PUBLIC,  # first: its Region rule refuses a call before any other feature acts on it
    REPOSITORIES,
    IMAGES,
    LAYERS,
    POLICIES,
    LIFECYCLE,
    SCANNING,
    SIGNING,
    REPLICATION,
    PULL_THROUGH_CACHE,
    CREATION_TEMPLATES,
    REGISTRY_SETTINGS,
    AUTHORIZATION,
    ACCESS_CONTROL,
)


@functools.cache
def wiring() -> Wiring:
    """The wiring of every feature (built once per process)."""
    return Wiring(FEATURES)

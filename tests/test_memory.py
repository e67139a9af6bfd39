"""Memory: the call log keeps no uploaded bytes, download URLs expire, deleted repositories are freed."""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
import weakref

import pytest

from fake_ecr import FakeECR, FakeECRError, push_image
from fake_ecr.core.recording import RecordedBlob
from fake_ecr.features.layers.blobs import store_of

MiB = 1024 * 1024


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_recorded_calls_keep_sizes_and_digests_not_bytes(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="app")
    layer = b"x" * 5000
    push_image(ecr_client, "app", "v1", layers=[layer])
    (part,) = [c for c in fake_ecr.get_calls("UploadLayerPart") if c.params["layerPartBlob"].size == 5000]
    recorded = part.params["layerPartBlob"]
    assert isinstance(recorded, RecordedBlob)
    assert (recorded.size, recorded.digest, len(recorded)) == (5000, _digest(layer), 5000)
    assert recorded == layer and recorded != b"y" * 5000
    assert fake_ecr.get_calls("UploadLayerPart", layerPartBlob=layer) == [part]
    assert not any(isinstance(v, bytes) for c in fake_ecr.calls for v in (c.params or {}).values())


def test_a_large_push_is_held_once():
    layer = bytes(range(256)) * (96 * 4096)  # 96 MiB
    with FakeECR() as fake:
        client = fake.client()
        client.create_repository(repositoryName="big")
        gc.collect()
        tracemalloc.start()
        try:
            push_image(client, "big", "v1", layers=[layer])
            gc.collect()
            held, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert fake.get_calls("PutImage")[0].error is None
    assert held < 1.25 * len(layer), f"held {held / MiB:.0f} MiB for a {len(layer) / MiB:.0f} MiB layer"


def test_download_urls_expire_on_the_fakes_clock(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="app")
    push_image(ecr_client, "app", "v1", layers=[b"layer"])
    url = ecr_client.get_download_url_for_layer(repositoryName="app", layerDigest=_digest(b"layer"))["downloadUrl"]
    assert "X-Amz-Expires=3600" in url
    fake_ecr.clock.advance(seconds=3599)
    assert fake_ecr.download(url) == b"layer"
    fake_ecr.clock.advance(seconds=1)
    with pytest.raises(FakeECRError, match="expired"):
        fake_ecr.download(url)


def test_a_deleted_repositorys_layers_are_freed(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="app")
    push_image(ecr_client, "app", "v1", layers=[b"layer" * 1000])
    url = ecr_client.get_download_url_for_layer(repositoryName="app", layerDigest=_digest(b"layer" * 1000))[
        "downloadUrl"
    ]
    store = weakref.ref(store_of(fake_ecr.repository("app")))
    ecr_client.delete_repository(repositoryName="app", force=True)
    gc.collect()
    assert store() is None  # nothing (not the URL, not the call log) keeps the layer alive
    with pytest.raises(FakeECRError, match="no longer exists"):
        fake_ecr.download(url)

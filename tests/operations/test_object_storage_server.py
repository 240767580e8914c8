"""The same storages against an S3 server on a loopback port, as the multi-node setup runs
them: moto's server mode (a stand-in for S3 that speaks its wire protocol; no MinIO or
Ceph package is available here), started and stopped by the test."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tests.factories import photo_bytes

BUCKET = "newsroom-media"
PUBLIC_MEDIA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
        }
    ],
}


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_server():
    port = spare_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3_storages(settings, s3_server):
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "access_key": "test-key",
        "secret_key": "test-secret",
        "region_name": "us-east-1",
        "file_overwrite": False,
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=BUCKET)
    # What the README asks of the bucket: anyone may read media/, nothing else.
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_MEDIA_POLICY))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "articles.storage.S3MediaStorage", "OPTIONS": options},
        "originals": {"BACKEND": "articles.storage.S3OriginalStorage", "OPTIONS": options},
    }
    return storages


def test_a_rendition_stored_by_one_server_is_fetched_at_its_address_by_anyone(s3_storages):
    data = photo_bytes((40, 30))
    name = s3_storages["default"].save("renditions/ab/abcdef.jpg", ContentFile(data))

    address = s3_storages["default"].url(name)
    with urllib.request.urlopen(address, timeout=10) as response:
        fetched = response.read()

    assert address.endswith(f"/{BUCKET}/media/renditions/ab/abcdef.jpg")
    assert "Signature" not in address  # plain, cacheable addresses
    assert fetched == data


def test_an_original_stored_by_one_server_is_read_back_by_another(s3_storages):
    name = s3_storages["originals"].save("images/2026/12/flood.jpg", ContentFile(b"original"))

    another_server = s3_storages["originals"].__class__(
        **s3_storages.backends["originals"]["OPTIONS"]
    )

    assert another_server.open(name).read() == b"original"

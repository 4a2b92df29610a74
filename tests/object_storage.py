"""A real S3 API for tests: moto's server on loopback, started once for the session, and a
bucket of its own for each test that asks for one.

The settings come from settings.py itself, read afresh with the S3 variables set, so the tests
prove the configuration a deployment gets, not a copy of it. Moto checks ACLs on anonymous
requests like S3 does; it does not check when a signed URL expires, so tests assert the expiry
parameter instead of waiting.
"""

import os
import runpy
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.support import Response, free_port, http_get, serving

REGION = "eu-west-2"
EVERYONE = "http://acs.amazonaws.com/groups/global/AllUsers"


def anonymous_get(url: str) -> Response:
    """GET a URL as a browser with no credentials would, without following redirects."""
    return http_get(url)


@dataclass
class ObjectStore:
    """The buckets one test's uploads go to, and a client to look inside them."""

    endpoint: str
    bucket: str
    private_bucket: str
    client: object
    signed_url_seconds: int

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        return bucket_keys(self.client, bucket, prefix)

    def head(self, bucket: str, key: str) -> dict:
        return self.client.head_object(Bucket=bucket, Key=key)

    def readable_by_everyone(self, bucket: str, key: str) -> bool:
        grants = self.client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
        return any(grant["Grantee"].get("URI") == EVERYONE for grant in grants)

    def object_url(self, bucket: str, key: str) -> str:
        return f"{self.endpoint}/{bucket}/{key}"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server on a free loopback port, for the whole session; its endpoint URL."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    logs = tmp_path_factory.mktemp("moto-server")
    with serving(command, port=port, env=dict(os.environ), logs=logs, ready_path="/") as served:
        yield served.url


def bucket_keys(client, bucket: str, prefix: str = "") -> list[str]:
    listing = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def _empty_and_delete(client, bucket: str) -> None:
    for key in bucket_keys(client, bucket):
        client.delete_object(Bucket=bucket, Key=key)
    client.delete_bucket(Bucket=bucket)


def use_object_storage(settings, monkeypatch, endpoint: str, *, private_bucket: bool = False):
    """Point uploads at new buckets on the moto server, configured by settings.py from the S3
    variables; yields the ObjectStore and removes the buckets afterwards."""
    for name in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_S3_SESSION_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    # Dummy credentials, and no configuration file of the machine's user.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    bucket = f"clinic-media-{uuid.uuid4().hex[:12]}"
    private = f"clinic-private-{uuid.uuid4().hex[:12]}" if private_bucket else bucket
    variables = {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ADDRESSING_STYLE": "path",
        "S3_SIGNED_URL_SECONDS": "45",
    }
    if private_bucket:
        variables["S3_PRIVATE_BUCKET"] = private
    for name in ("S3_PUBLIC_ACL", "S3_CUSTOM_DOMAIN", "S3_PRIVATE_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    loaded = runpy.run_path(
        str(Path(django_settings.BASE_DIR) / "restoration_site" / "settings.py")
    )

    import boto3  # here, so a run without these tests never loads it
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(s3={"addressing_style": "path"}),
    )
    for name in dict.fromkeys([bucket, private]):
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = loaded["STORAGES"]
    settings.CONTENT_SECURITY_POLICY = loaded["CONTENT_SECURITY_POLICY"]
    settings.MEDIA_ORIGINS = loaded["MEDIA_ORIGINS"]
    yield ObjectStore(
        endpoint=endpoint,
        bucket=bucket,
        private_bucket=private,
        client=client,
        signed_url_seconds=loaded["S3_SIGNED_URL_SECONDS"],
    )
    for name in dict.fromkeys([bucket, private]):
        _empty_and_delete(client, name)


@pytest.fixture
def object_storage(settings, monkeypatch, s3_server):
    """Uploads in one bucket on the moto server: public ones under media/, enquiry photos
    under private/."""
    yield from use_object_storage(settings, monkeypatch, s3_server)


@pytest.fixture
def object_storage_with_private_bucket(settings, monkeypatch, s3_server):
    """Public uploads in one bucket, enquiry photos in a second, private one."""
    yield from use_object_storage(settings, monkeypatch, s3_server, private_bucket=True)


def img_src(policy: str) -> list[str]:
    """The sources a Content-Security-Policy header allows images from."""
    for directive in policy.split(";"):
        name, *sources = directive.split()
        if name == "img-src":
            return sources
    return []

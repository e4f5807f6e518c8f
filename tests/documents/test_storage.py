"""The storage contract, run against both backends: the local folder and an S3-compatible
server (moto's, started by the tests); and the settings that choose one, checked at start-up."""

from __future__ import annotations

import io
import os

import pytest

from reslog_events.config import ConfigError, load_config
from reslog_events.documents.storage import LocalStorage, S3Storage, StoredFileMissing


def _read(storage, key: str) -> bytes:
    stream = storage.open(key)
    try:
        return stream.read()
    finally:
        stream.close()


def test_put_open_exists_delete(storage):
    key = "event-1/0a1b2c3d4e5f"
    assert not storage.exists(key)
    storage.put(key, io.BytesIO("Şişli tutanağı".encode()), "application/pdf")
    assert storage.exists(key)
    assert _read(storage, key).decode() == "Şişli tutanağı"
    storage.delete(key)
    assert not storage.exists(key)
    with pytest.raises(StoredFileMissing):
        storage.open(key)


def test_put_replaces_and_delete_is_idempotent(storage):
    key = "event-2/ffee"
    storage.put(key, io.BytesIO(b"first"), "image/png")
    storage.put(key, io.BytesIO(b"second"), "image/png")
    assert _read(storage, key) == b"second"
    storage.delete(key)
    storage.delete(key)  # a key that is gone: nothing happens
    assert not storage.exists(key)


def test_large_files_arrive_whole(storage):
    data = os.urandom(9 * 1024 * 1024 + 17)  # past boto3's multipart threshold (8 MB)
    storage.put("event-3/large", io.BytesIO(data), "application/pdf")
    assert _read(storage, "event-3/large") == data
    storage.delete("event-3/large")


def test_missing_keys(storage):
    assert not storage.exists("event-4/never")
    with pytest.raises(StoredFileMissing):
        storage.open("event-4/never")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "event-1/../../x", "A/B", "", "a//b"])
def test_keys_are_only_the_app_s_own(storage, key):
    with pytest.raises(ValueError):
        storage.put(key, io.BytesIO(b"x"), "application/pdf")
    with pytest.raises(ValueError):
        storage.exists(key)


def test_backends_are_what_the_settings_say(storage, request):
    expected = S3Storage if "s3" in request.node.callspec.id else LocalStorage
    assert isinstance(storage, expected)


def test_s3_keeps_the_content_type(s3_config):
    from reslog_events.documents.storage import build_storage

    storage = build_storage(s3_config)  # credentials from the AWS_* variables
    storage.put("event-5/typed", io.BytesIO(b"%PDF-1.4"), "application/pdf")
    head = storage.client.head_object(Bucket=storage.bucket, Key="event-5/typed")
    assert head["ContentType"] == "application/pdf"


def test_local_writes_leave_no_partial_file(tmp_path):
    storage = LocalStorage(tmp_path)

    class Broken(io.BytesIO):
        def read(self, *args):
            raise OSError("disk gone")

    with pytest.raises(OSError):
        storage.put("event-6/broken", Broken(), "application/pdf")
    assert not storage.exists("event-6/broken")
    assert list((tmp_path / "event-6").iterdir()) == []


# Settings ------------------------------------------------------------------------------------

BASE = {"SECRET_KEY": "test"}


def test_local_storage_is_the_default(tmp_path):
    config = load_config(tmp_path, dict(BASE))
    assert config["DOCUMENTS_STORAGE"] == "local"
    assert config["DOCUMENTS_DIR"] == str(tmp_path / "documents")
    assert config["DOCUMENTS_MAX_MB"] == 20
    # the request limit leaves room for one whole document and its form
    assert config["MAX_CONTENT_LENGTH"] == 21 * 1024 * 1024


def test_s3_settings_are_read(tmp_path):
    config = load_config(
        tmp_path,
        {
            **BASE,
            "DOCUMENTS_STORAGE": "S3",
            "S3_BUCKET": "reslog-docs",
            "S3_ENDPOINT_URL": "https://minio.example.org:9000",
            "DOCUMENTS_MAX_MB": "5",
        },
    )
    assert config["DOCUMENTS_STORAGE"] == "s3" and config["S3_BUCKET"] == "reslog-docs"
    assert config["S3_ENDPOINT_URL"] == "https://minio.example.org:9000"
    assert config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DOCUMENTS_STORAGE": "ftp"}, "DOCUMENTS_STORAGE"),
        ({"DOCUMENTS_STORAGE": "s3"}, "S3_BUCKET"),
        ({"DOCUMENTS_STORAGE": "s3", "S3_BUCKET": "Bad_Bucket"}, "S3_BUCKET"),
        (
            {"DOCUMENTS_STORAGE": "s3", "S3_BUCKET": "docs", "S3_ENDPOINT_URL": "minio:9000"},
            "S3_ENDPOINT_URL",
        ),
        ({"DOCUMENTS_MAX_MB": "0"}, "DOCUMENTS_MAX_MB"),
        ({"DOCUMENTS_MAX_MB": "lots"}, "DOCUMENTS_MAX_MB"),
    ],
)
def test_bad_settings_are_refused_at_start_up_by_name(tmp_path, env, named):
    with pytest.raises(ConfigError, match=named):
        load_config(tmp_path, {**BASE, **env})

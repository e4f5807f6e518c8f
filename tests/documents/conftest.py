"""The documents' storages for the tests: the local folder, and an S3-compatible server (moto's,
on loopback, started here). Without moto or boto3 the S3 tests skip on a developer's machine
and fail in CI."""

from __future__ import annotations

import io
import socket
import zipfile

import pytest

from tests.support.services import require

BUCKET = "reslog-documents-test"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on 127.0.0.1:<port>, with the test bucket."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        require(False, f"moto[server] and boto3 are needed for the S3 tests ({exc})")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001 - whatever keeps it from starting
        require(False, f"moto's S3 server did not start ({exc})")
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_config(app, s3_endpoint, monkeypatch):
    """The app configured as an operator would: DOCUMENTS_STORAGE=s3 and the AWS_* variables."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    return {
        "DOCUMENTS_STORAGE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
    }


@pytest.fixture(params=["local", "s3"])
def storage(request, app, tmp_path):
    """Each backend in turn, put in place as the app's documents storage."""
    from reslog_events.documents.storage import build_storage, use_storage

    config = {"DOCUMENTS_STORAGE": "local", "DOCUMENTS_DIR": str(tmp_path / "documents")}
    if request.param == "s3":
        config = request.getfixturevalue("s3_config")
    backend = build_storage(config)
    previous = use_storage(app, backend)
    yield backend
    use_storage(app, previous)


# Files of each kind, as small as they can be while being what they claim -------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24


def office(kind: str, *, macros: bool = False) -> bytes:
    """A ZIP package with the parts that make it a document of `kind`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        if kind in ("odt", "ods", "odp"):
            names = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}
            package.writestr("mimetype", f"application/vnd.oasis.opendocument.{names[kind]}")
            package.writestr("content.xml", "<office:document-content/>")
        else:
            part = {
                "docx": "word/document.xml",
                "xlsx": "xl/workbook.xml",
                "pptx": "ppt/presentation.xml",
            }[kind]
            package.writestr("[Content_Types].xml", "<Types/>")
            package.writestr(part, "<x/>")
            if macros:
                package.writestr(part.split("/")[0] + "/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def upload(client, event_id: int, name: str, data: bytes, visibility: str = "invitees"):
    """POST a file through the API (client: an ApiClient)."""
    return client.post(
        f"/api/v1/events/{event_id}/documents",
        data={"file": (io.BytesIO(data), name), "visibility": visibility},
        content_type="multipart/form-data",
    )

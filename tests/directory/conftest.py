"""Directory test helpers: the unions and municipalities files refer to, and file builders."""

from __future__ import annotations

import io

import pytest


@pytest.fixture
def municipalities(create_organisation):
    mbb = create_organisation(name="Marmara Belediyeler Birliği", code="MBB", kind="union")
    cbb = create_organisation(name="Çukurova Belediyeler Birliği", code="CBB", kind="union")
    return {
        "MBB": mbb,
        "CBB": cbb,
        "sisli": create_organisation(
            name="Şişli Belediyesi", code="SISLI", province="İstanbul", unions=[mbb]
        ),
        "saricam": create_organisation(
            name="Sarıçam Belediyesi", code="SARICAM", province="Adana", unions=[cbb]
        ),
        "reyhanli": create_organisation(name="Reyhanlı Belediyesi", province="Hatay", unions=[cbb]),
    }


@pytest.fixture
def staging(app, tmp_path):
    app.config["IMPORT_STAGING_DIR"] = str(tmp_path / "imports")
    return tmp_path / "imports"


def csv_bytes(rows: list[list[str]], delimiter: str = ";", encoding: str = "cp1254") -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[object]], title_rows: int = 0) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Katılımcılar"
    for _ in range(title_rows):
        sheet.append(["KATILIMCI LİSTESİ"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

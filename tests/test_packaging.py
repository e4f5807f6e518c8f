"""The built wheel carries what an installed app needs: the compiled catalogues (compiled by the
build, equal to a fresh compilation of the .po files), templates, static files and migrations.
CI goes further (.ci/wheel-smoke): it installs the wheel outside the checkout and serves a page."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from reslog_events import PACKAGE, data_dir
from reslog_events.extensions import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]


#: the build backend as pip calls it, with setuptools' deprecation warnings as errors (a
#: `project.license` table, for one, warns on every install)
BUILD = """
import sys, warnings
from setuptools import build_meta
from setuptools.warnings import SetuptoolsDeprecationWarning
warnings.simplefilter("error", SetuptoolsDeprecationWarning)
print(build_meta.build_wheel(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(out)], cwd=ROOT, capture_output=True, text=True
    )
    return done, out


@pytest.fixture(scope="module")
def wheel(build) -> zipfile.ZipFile:
    done, out = build
    assert done.returncode == 0, done.stderr[-2000:]
    (path,) = out.glob("reslog_events-*.whl")
    return zipfile.ZipFile(path)


@pytest.mark.slow
def test_the_build_warns_of_nothing_deprecated(build):
    done, _out = build
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "DeprecationWarning" not in output, output[-2000:]


def _compiled(language: str) -> bytes:
    po = PACKAGE / "translations" / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fileobj:
        catalogue = read_po(fileobj, locale=language, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


@pytest.mark.slow
def test_the_wheel_carries_compiled_catalogues_and_the_data_folders(wheel):
    names = set(wheel.namelist())
    for language in LANGUAGES:
        mo = f"reslog_events/translations/{language}/LC_MESSAGES/messages.mo"
        assert wheel.read(mo) == _compiled(language), f"{mo} is not the build's compilation"
    for name in ("templates", "static", "migrations"):
        in_checkout = {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / name).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        in_wheel = {n.removeprefix("reslog_events/_data/") for n in names if "/_data/" in n}
        assert in_checkout and in_checkout <= in_wheel, sorted(in_checkout - in_wheel)[:5]
    assert "reslog_events-0.1.0.dist-info/licenses/LICENSE" in names


def test_a_checkout_uses_its_top_level_folders():
    # setup.py writes _data/ only into the build; the checkout keeps templates/ etc. at the top
    if PACKAGE.parent != ROOT:
        pytest.skip("the app under test is installed from a wheel, not this checkout")
    assert not (PACKAGE / "_data").exists()
    for name in ("templates", "static", "migrations"):
        assert data_dir(name) == ROOT / name

"""The build step the wheel and every install need beyond `pyproject.toml`.

- The translation catalogues (`reslog_events/translations/*/LC_MESSAGES/messages.po`) are compiled
  to the `.mo` files the app loads: into the build for a wheel, in place for an editable install.
- The checkout's top-level `templates/`, `static/` and `migrations/` travel in the wheel as
  `reslog_events/_data/…`; `create_app` finds them there, or beside the package in a checkout.

Compiled as `tests/test_translations.py` checks them (Babel's `read_po` + `write_mo`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = "reslog_events"
#: top-level folders of the checkout that the installed app needs
DATA_DIRS = ("templates", "static", "migrations")


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Compile every `<lang>/LC_MESSAGES/messages.po` under `source` into the same place under
    `target`; returns the `.mo` files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        language = po.parent.parent.name
        with po.open("rb") as fileobj:
            catalogue = read_po(fileobj, locale=language, abort_invalid=True)
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as fileobj:
            write_mo(fileobj, catalogue)
        written.append(mo)
    return written


class BuildWithData(build_py):
    """`build_py`, plus the compiled catalogues and the checkout's data folders."""

    def run(self) -> None:
        super().run()
        translations = HERE / PACKAGE / "translations"
        if self.editable_mode:  # the package is imported from the checkout: compile in place
            compile_catalogues(translations, translations)
            return
        package = Path(self.build_lib) / PACKAGE
        compile_catalogues(translations, package / "translations")
        for name in DATA_DIRS:
            target = package / "_data" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                HERE / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )


setup(cmdclass={"build_py": BuildWithData})

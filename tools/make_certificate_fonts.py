"""Make the certificate's fonts (static/vendor/fonts/certificate-*.ttf) from the PyPI packages.

    .venv/bin/pip install fontpkg-noto-sans==2.15 fontpkg-ibm-plex-sans-arabic==1.101
    .venv/bin/python tools/make_certificate_fonts.py

Noto Sans comes as a variable font: fixing its weight (400 and 700) takes fontTools many seconds,
and embedding a font makes fpdf2 subset it for every PDF, which costs in proportion to the
font's size. So the fonts are made once, here: static instances cut down to the letters a
certificate can need (Latin with Turkish and Swedish, Arabic with its joined forms, digits and
punctuation), keeping the shaping tables. A certificate then takes a quarter of the time.
Both fonts are under the SIL Open Font License 1.1 (LICENSE-*.txt beside them).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts"
PUNCTUATION = [*range(0x2000, 0x2070), 0x20AC, 0x20BA, 0x2116, 0x25CC]
LATIN = [*range(0x20, 0x250), *range(0x1E00, 0x1F00), *PUNCTUATION]
ARABIC = [
    *range(0x20, 0x7F),
    0xA0,
    0xAB,
    0xBB,
    *range(0x600, 0x700),
    *range(0x750, 0x780),
    *range(0xFB50, 0xFE00),
    *range(0xFE70, 0xFF00),
    *PUNCTUATION,
]


def _subset(font: TTFont, unicodes: list[int]) -> TTFont:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def main() -> None:
    noto = files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"
    for weight in (400, 700):
        static = instancer.instantiateVariableFont(
            TTFont(str(noto)), {"wght": weight, "wdth": 100}, updateFontNames=False
        )
        _subset(static, LATIN).save(OUT / f"certificate-latin-{weight}.ttf")
    plex = files("fontpkg_ibm_plex_sans_arabic") / "files"
    for weight, name in ((400, "Regular"), (700, "Bold")):
        font = TTFont(str(plex / f"IBMPlexSansArabic-{name}.ttf"))
        _subset(font, ARABIC).save(OUT / f"certificate-arabic-{weight}.ttf")


if __name__ == "__main__":
    main()

"""Extract the Simplified Chinese faces of Noto Sans/Serif CJK from Debian's font collections.

Debian's ``fonts-noto-cjk`` ships the faces as OpenType collections (.ttc) holding the
Japanese, Korean, Simplified and Traditional Chinese faces together. The pipeline
bundles only the SC faces, as stand-alone .otf files, unmodified otherwise.

    python scripts/extract_fonts.py [SOURCE_DIR] [DEST_DIR]

Run once when the fonts are updated; the result is committed in ``fonts/`` and
recorded in ``fonts/fonts.yaml`` by ``python -m magazine.fonts index``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

FACES = {
    "NotoSansCJK-Regular.ttc": ("Noto Sans CJK SC", "NotoSansCJKsc-Regular.otf"),
    "NotoSansCJK-Bold.ttc": ("Noto Sans CJK SC", "NotoSansCJKsc-Bold.otf"),
    "NotoSerifCJK-Regular.ttc": ("Noto Serif CJK SC", "NotoSerifCJKsc-Regular.otf"),
    "NotoSerifCJK-Bold.ttc": ("Noto Serif CJK SC", "NotoSerifCJKsc-Bold.otf"),
}


def extract(source_dir: Path, dest_dir: Path) -> None:
    dest_dir.mkdir(parents=True, exist_ok=True)
    for collection_name, (family, out_name) in FACES.items():
        collection = TTCollection(str(source_dir / collection_name))
        for font in collection.fonts:
            if font["name"].getDebugName(1) == family:
                font.save(str(dest_dir / out_name))
                print(f"{collection_name} → {out_name}")
                break
        else:
            raise SystemExit(f"{family} not found in {collection_name}")


if __name__ == "__main__":
    args = sys.argv[1:]
    extract(Path(args[0]) if args else Path("/usr/share/fonts/opentype/noto"),
            Path(args[1]) if len(args) > 1 else Path("fonts"))

"""Cut Noto Nastaliq Urdu down to what Urdu pages need: `python scripts/subset_urdu_font.py`.

Nastaliq fonts are heavy (thousands of joined forms), and an Urdu page waits for its font
before the reader sees its words in the newspaper hand. The shipped files keep the whole
basic Arabic block (Urdu letters, Urdu digits, Arabic quotations with their marks), the
honorifics and the joiners, with every layout feature; they drop the Arabic Supplement and
Extended-A blocks and presentation forms, which Urdu text does not use (such a letter falls
back to the system font). About a quarter lighter than the font's whole Arabic part.

SOURCE is a Noto Nastaliq Urdu font of one weight (a TTF from the Noto project, or a
previous WOFF2); WEIGHT (400 or 700) names the file written in static/fonts. Needs
fontTools with Brotli (requirements-dev.txt). newsroom.css's unicode-range follows KEEP.
"""

import argparse
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "static" / "fonts" / "noto-nastaliq-urdu"
# Space and no-break space keep the font's own word spacing inside Urdu text; the rest is
# what Urdu writing uses.
KEEP = "U+0020,U+00A0,U+0600-06FF,U+200C-200F,U+2010-2011,U+FDF2,U+FDFA-FDFD"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("weight", choices=["400", "700"])
    options = parser.parse_args()
    target = FONT_DIR / f"noto-nastaliq-urdu-{options.weight}.woff2"
    subset.main(
        [
            str(options.source),
            f"--unicodes={KEEP}",
            "--layout-features=*",
            "--flavor=woff2",
            f"--output-file={target}",
        ]
    )
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

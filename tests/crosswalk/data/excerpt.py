"""How the real-data fixtures beside this file were cut from the shared data
(run once by hand, from the repository root; the tests never read ../shared):

    python tests/crosswalk/data/excerpt.py ../shared/data

* naics/: NAICS 2012 and 2017 (US Census Bureau, public domain) as
  ``code,parent,title`` (the long descriptions left out), and the Census
  Bureau's official 2017-to-2012 concordance, whole.
* google/: the Google product taxonomy (en-US, three versions), the categories
  under "Animals & Pet Supplies" and "Apparel & Accessories", as published
  (``id - Path > To > Category``).
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
GOOGLE_ROOTS = ("Animals & Pet Supplies", "Apparel & Accessories")


def main(shared: Path) -> None:
    for year in ("2012", "2017"):
        with open(shared / "naics" / f"naics_{year}.csv", newline="", encoding="utf-8") as src:
            rows = [(r["code"], r["parent"], r["title"]) for r in csv.DictReader(src)]
        with open(HERE / "naics" / f"naics_{year}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["code", "parent", "title"])
            writer.writerows(rows)
    shutil.copy(shared / "naics" / "concordance_2017_to_2012.csv", HERE / "naics")
    for path in sorted((shared / "google-product-taxonomy").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [
            line for line in lines[1:] if line.split(" - ", 1)[1].split(" > ")[0] in GOOGLE_ROOTS
        ]
        (HERE / "google" / path.name).write_text("\n".join(kept) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

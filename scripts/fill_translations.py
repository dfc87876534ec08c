"""Fill untranslated or fuzzy entries of the zh_Hans catalog from a Python file defining T (and PLURALS).

Usage: .venv/bin/python scripts/fill_translations.py translations.py
Prints what is still missing; exits 1 if anything is.
"""

import runpy
import sys

import polib

PO = "locale/zh_Hans/LC_MESSAGES/django.po"


def main(path: str) -> int:
    source = runpy.run_path(path)
    singular, plurals = source.get("T", {}), source.get("PLURALS", {})
    po = polib.pofile(PO)
    missing = []
    for entry in po:
        if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
            continue
        if entry.msgid_plural and entry.msgid in plurals:
            entry.msgstr_plural = {0: plurals[entry.msgid]}
        elif not entry.msgid_plural and entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
        else:
            missing.append(entry.msgid)
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save(PO)
    for msgid in missing:
        print("missing:", repr(msgid))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

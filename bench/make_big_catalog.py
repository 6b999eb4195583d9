#!/usr/bin/env python3
"""Writes a large xfu catalog for the scale benchmarks: the records of a real
catalog replicated under new codenames until there are RECORDS of them.

    bench/make_big_catalog.py SOURCE.json RECORDS OUT.json

SOURCE.json is a single-file catalog, such as the built-in one written out by
builtin_catalog (bench/timing.sh).

Copy k of codename "dipper" is "dipperk" (variants alike: "dipper_global" ->
"dipperk_global"), its device name gets " k" before the region word, and its
file name gets "_k" before the extension, so every record stays valid and
unique. Copy 0 is the source itself: "dipper" keeps its real records.
"""
import json
import sys


def renamed_file(name, k):
    dot = name.rfind(".")
    return f"{name[:dot]}_{k}{name[dot:]}" if dot > 0 else f"{name}_{k}"


def copy_record(record, k):
    if k == 0:
        return record
    out = dict(record)
    codename = record["codename"]
    base, sep, rest = codename.partition("_")
    out["codename"] = f"{base}{k}{sep}{rest}"
    if record.get("variant"):
        vbase, vsep, vrest = record["variant"].partition("_")
        out["variant"] = f"{vbase}{k}{vsep}{vrest}"
    words = record["device"].rsplit(" ", 1)
    out["device"] = f"{words[0]} {k} {words[1]}" if len(words) == 2 else f"{record['device']} {k}"
    link = record["link"]
    slash = link.rfind("/")
    out["link"] = link[: slash + 1] + renamed_file(link[slash + 1 :], k)
    out["filename"] = renamed_file(record.get("filename") or link[slash + 1 :], k)
    return out


def main():
    source, wanted, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(source, encoding="utf-8") as f:
        catalog = json.load(f)
    records = catalog["roms"]
    out = []
    k = 0
    while len(out) < wanted:
        for record in records:
            if len(out) == wanted:
                break
            out.append(copy_record(record, k))
        k += 1
    with open(target, "w", encoding="utf-8") as f:
        f.write('{"schema": "xfu-catalog/1", "generated": %s, "roms": [\n' % json.dumps(catalog.get("generated")))
        f.write(",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in out))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()

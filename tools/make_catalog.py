#!/usr/bin/env python3
"""Build xfu's built-in catalog snapshot, data/catalog.json.

Sources (all public XiaomiFirmwareUpdater data, see the README's credits):
  * the XFU site's per-version pages (one card per ROM, with every mirror,
    the incremental link and the changelog),
  * the five seed pages the product was designed from (their values win for
    the ROMs they show, because `xfu show` must reproduce them exactly),
  * the tracker's latest.yml (newest full ROM per codename x branch x method),
  * the tracker's devices.yml (display name -> variant codename).

Regenerate, from the project's root, with the upstream data beside it:

    apt-get install python3-yaml
    python3 tools/make_catalog.py ../shared > data/catalog.json

The output is deterministic: same input, same bytes.
"""

import datetime
import html
import json
import pathlib
import re
import sys

import yaml

CARD_FIELD = re.compile(r"<b>(Device|Codename|Version|Branch|Type|Size|Release Date|Package Name|MD5): </b>(.*?)</h5>", re.S)
BUTTON = re.compile(r"id=\"(download|incremental_download)\"[^>]*?window\.open\('([^']+)'", re.S)
CHANGELOG = re.compile(r'<p id="changelog_text">(.*?)</p>', re.S)
TAG = re.compile(r"<[^>]+>")


def text_of(fragment):
    return html.unescape(TAG.sub("", fragment)).strip()


def parse_page(path):
    """Yield one dict per ROM card of an XFU site page."""
    page = path.read_text(encoding="utf-8")
    for chunk in page.split('<div class="card card-body">')[1:]:
        fields = {name: text_of(value) for name, value in CARD_FIELD.findall(chunk)}
        if "Package Name" not in fields:
            continue
        links = BUTTON.findall(chunk)
        full = [url for kind, url in links if kind == "download"]
        incremental = [url for kind, url in links if kind == "incremental_download"]
        changelog = CHANGELOG.search(chunk)
        yield {
            "codename": fields["Codename"],
            "device": fields["Device"],
            "version": fields["Version"],
            "branch": fields["Branch"],
            "type": fields["Type"],
            "size": fields.get("Size") or None,
            "date": fields.get("Release Date") or None,
            "filename": fields["Package Name"],
            "md5": None if fields.get("MD5", "Unknown") in ("", "Unknown") else fields["MD5"].lower(),
            "link": full[0],
            "mirrors": full[1:],
            "incremental": incremental[0] if incremental else None,
            "changelog": changelog.group(1).strip() if changelog else None,
        }


def latest_records(path):
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        date = item.get("date")
        yield {
            "codename": item["codename"],
            "device": item["name"],
            "version": str(item["version"]),
            "android": item.get("android"),
            "branch": item["branch"],
            "type": item["method"],
            "size": item.get("size"),
            "date": date.isoformat() if isinstance(date, datetime.date) else date,
            "link": item["link"],
            "md5": item.get("md5"),
        }


def android_of(filename):
    """The Android version Xiaomi writes into ROM file names (`..._9.0.zip`, `..._9.0_global_...tgz`)."""
    match = re.search(r"_(\d+\.\d+)(?:_[a-z]+)?_[0-9a-f]{10}\.tgz$", filename) or \
        re.search(r"_(\d+\.\d+)\.zip$", filename)
    return match.group(1) if match else None


def merge(into, other):
    """Fill what `into` lacks from `other`; collect every distinct download URL."""
    for key, value in other.items():
        if key == "mirrors":
            continue
        if into.get(key) in (None, "", []) and value not in (None, "", []):
            into[key] = value
    urls = [into["link"]] + into.get("mirrors", [])
    for url in [other["link"]] + other.get("mirrors", []):
        if url not in urls:
            urls.append(url)
    into["mirrors"] = urls[1:]


def main():
    shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared")
    upstream = shared / "data" / "xfu-upstream"
    devices = yaml.safe_load((upstream / "miui-updates-tracker/data/devices.yml").read_text(encoding="utf-8"))
    variant_of_name = {}
    for variant, names in devices.items():
        variant_of_name.setdefault(names[0], set()).add(variant)

    # Seeds first: their values win; then the site pages; then latest.yml.
    cards = []
    for seed in sorted((shared / "seeds").glob("*.txt")):
        cards += list(parse_page(seed))
    for page in sorted((upstream / "xmfirmwareupdater.github.io/pages/miui/updates").glob("*/*.md")):
        cards += list(parse_page(page))
    cards += list(latest_records(upstream / "miui-updates-tracker/data/latest.yml"))

    records = {}
    for card in cards:
        card.setdefault("filename", card["link"].split("?")[0].rsplit("/", 1)[-1])
        key = (card["filename"], card["device"])
        if key in records:
            merge(records[key], card)
        else:
            records[key] = dict(card, mirrors=list(card.get("mirrors") or []))

    roms = []
    for rom in records.values():
        variants = variant_of_name.get(rom["device"], set())
        base = rom["codename"].split("_")[0]
        candidates = sorted(v for v in variants if v.split("_")[0] == base)
        if "_" not in rom["codename"] and len(candidates) == 1 and candidates[0] != rom["codename"]:
            rom["variant"] = candidates[0]
        if not rom.get("android"):
            rom["android"] = android_of(rom["filename"])
        roms.append({key: rom[key] for key in (
            "codename", "variant", "device", "version", "android", "branch", "type", "size", "date",
            "filename", "md5", "link", "mirrors", "incremental", "changelog") if rom.get(key) not in (None, "", [])})
    roms.sort(key=lambda r: (r["codename"], r.get("variant", ""), r["branch"], r["type"], r.get("date") or "",
                             r["version"], r["filename"], r["device"]))

    sources = (upstream / "SOURCES.md").read_text(encoding="utf-8")
    newest = max(re.findall(r"— (\d{4}-\d{2}-\d{2}) \(", sources))
    out = sys.stdout
    out.write('{"schema": "xfu-catalog/1", "generated": "%sT00:00:00Z", "roms": [\n' % newest)
    out.write(",\n".join(json.dumps(rom, ensure_ascii=False, sort_keys=False) for rom in roms))
    out.write("\n]}\n")


if __name__ == "__main__":
    main()

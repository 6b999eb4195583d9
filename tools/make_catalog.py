#!/usr/bin/env python3
"""Generate xfu's catalog from the public XiaomiFirmwareUpdater (XFU) data.

    tools/make_catalog.py --site SITE --tracker TRACKER --out DIR

SITE is laid out like the xmfirmwareupdater.github.io repository
(SITE/pages/{miui,hyperos}/updates/<codename>/<version>.md: one page per
version, one card per ROM file and device name), TRACKER like the
miui-updates-tracker repository (TRACKER/data/latest.yml, the newest full ROM
per variant, branch and type; TRACKER/data/devices.yml, variant codename ->
[display name, the model name Xiaomi writes into package names]).

DIR receives the layout the project publishes (docs/catalog.md, "Sharded
catalogs"): DIR/index.json and one DIR/shards/<codename>.json per device.
`xfu catalog pack DIR data/catalog.pack` turns it into the built-in snapshot.

Every card and every latest.yml record becomes a record, merged by file name
and device name. The five seed pages the product was designed from
(--seeds, default tests/fixtures/seeds) win for their own cards, so that
`xfu show` reproduces them exactly. Cards that cannot be converted are
counted by reason on stderr; a page that cannot be read at all makes the
exit status 1. Same input, same bytes.

The codename of a record is the device's own codename, the one the phone
reports (laurel_sprout), found from the data: the card's device name in
devices.yml, the variant or model name in the package name, and only then
the page folder. The folder name (laurel) is kept as `site_codename` and
works as an alias.
"""

import argparse
import collections
import concurrent.futures
import datetime
import hashlib
import html
import json
import os
import pathlib
import re
import subprocess
import sys

import yaml

CARD_START = '<div class="card card-body">'
CARD_FIELD = re.compile(
    r"<b>(Device|Codename|Version|Branch|Type|Size|Release Date|Package Name|MD5): </b>(.*?)</h5>", re.S)
BUTTON = re.compile(r"id=\"(download|incremental_download)\"[^>]*?window\.open\('([^']+)'", re.S)
CHANGELOG = re.compile(r'<p id="changelog_text">(.*?)</p>', re.S)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
TAG = re.compile(r"<[^>]+>")
MD5 = re.compile(r"^[0-9a-fA-F]{32}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://[^/\s]+/\S*$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
REQUIRED = ("Device", "Version", "Branch", "Type", "Package Name")

# Region codes as variant codenames carry them (agate_eea_global) and the
# words device names end with. docs/catalog.md lists them; so does
# src/core/region.cpp, which xfu reads catalogs with.
REGION_CODES = {"eea": "EEA", "in": "India", "ru": "Russia", "id": "Indonesia", "tr": "Turkey", "tw": "Taiwan",
                "jp": "Japan", "kr": "Korea", "sg": "Singapore", "india": "India", "rf": None, "fk": None}
REGION_WORDS = {"China", "Global", "EEA", "India", "Russia", "Indonesia", "Turkey", "Taiwan", "Japan", "Korea",
                "Singapore"}
REGION_SUFFIX = re.compile(r"^(?P<base>.+?)(?P<suffix>(?:_(?:%s))*_global)$" % "|".join(sorted(REGION_CODES)))

# Fields two cards of the same file and device name should agree on.
CONFLICTING = ("version", "branch", "type", "size", "date", "md5", "changelog", "incremental")
RECORD_KEYS = ("codename", "variant", "region", "device", "os", "version", "android", "branch", "type", "size",
               "date", "filename", "md5", "link", "mirrors", "incremental", "changelog", "site_codename")


class Unreadable(Exception):
    """A page that cannot be read at all."""


def text_of(fragment):
    return html.unescape(TAG.sub("", fragment)).strip()


def base_of(variant):
    """laurel_sprout_eea_global -> laurel_sprout; cancro_lte_ct -> cancro_lte_ct (no region suffix)."""
    match = REGION_SUFFIX.match(variant)
    return match.group("base") if match else variant


def region_of(device, variant):
    last = device.rsplit(" ", 1)[-1]
    if last in REGION_WORDS:
        return last
    match = REGION_SUFFIX.match(variant)
    if not match:
        return "China"
    for code in match.group("suffix").split("_"):
        if REGION_CODES.get(code):
            return REGION_CODES[code]
    return "Global"


def android_of(filename):
    """The Android version Xiaomi writes into package names."""
    for pattern in (r"[_-](\d+\.\d+)[_-](?:[a-z]+[_-])*[0-9a-f]{10}(?:\.tgz)?$",  # fastboot (a few lack .tgz)
                    r"_(\d+\.\d+)\.zip$",                                          # MIUI recovery
                    r"-user-(\d+\.\d+)-[0-9a-f]{10}\.zip$",                        # HyperOS OTA
                    r"^miui-ota-.*-[0-9a-f]{10}-(\d+\.\d+)\.zip$"):                # old OTA listed as a full ROM
        match = re.search(pattern, filename)
        if match:
            return match.group(1)
    return None


def os_of(version):
    # The same file can be listed on a MIUI and a HyperOS page; its version says which it is.
    return "HyperOS" if version.startswith("OS") else "MIUI"


def parse_page(path, folder=None):
    """(cards, problems, count) of one site page: one dict per usable card, one reason per card that could
    not be used (or was used with a field dropped), and how many cards the page has."""
    try:
        page = pathlib.Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Unreadable(f"{path}: {error}")
    front_matter = FRONT_MATTER.match(page)
    if not front_matter:
        raise Unreadable(f"{path}: no front matter")
    chunks = page.split(CARD_START)[1:]
    if not chunks:
        raise Unreadable(f"{path}: no ROM card")
    if folder is None:  # a seed page: its front matter names the site's codename
        named = re.search(r"^codename: *(\S+)$", front_matter.group(1), re.M)
        folder = named.group(1) if named else None
    cards, problems = [], []
    for chunk in chunks:
        fields = {name: text_of(value) for name, value in CARD_FIELD.findall(chunk)}
        missing = [name for name in REQUIRED if not fields.get(name)]
        if missing:
            problems.append("card without " + missing[0])
            continue
        links = BUTTON.findall(chunk)
        full = [url for kind, url in links if kind == "download"]
        incremental = [url for kind, url in links if kind == "incremental_download"]
        if not full:
            problems.append("card without a full ROM link")
            continue
        md5 = fields.get("MD5", "")
        date = fields.get("Release Date", "")
        changelog = CHANGELOG.search(chunk)
        cards.append({
            "device": fields["Device"],
            "site_codename": folder,
            "card_codename": fields.get("Codename") or folder,
            "os": os_of(fields["Version"]),
            "version": fields["Version"],
            "branch": fields["Branch"],
            "type": fields["Type"],
            "size": fields.get("Size") or None,
            "date": date if DATE.match(date) else None,
            "filename": fields["Package Name"],
            "md5": md5.lower() if MD5.match(md5) else None,
            "link": full[0],
            "mirrors": full[1:],
            "incremental": incremental[0] if incremental else None,
            "changelog": changelog.group(1).strip() if changelog else None,
        })
        if md5 not in ("", "Unknown") and not MD5.match(md5):
            problems.append("MD5 that is not 32 hex digits (kept as unknown)")
    return cards, problems, len(chunks)


def parse_site_page(path):
    try:
        return path, parse_page(path, pathlib.Path(path).parent.name), None
    except Unreadable as error:
        return path, None, str(error)


def load_yaml(path):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def tracker_records(path):
    for item in load_yaml(path) or []:
        date = item.get("date")
        version = str(item["version"])
        link = item["link"]
        yield {
            "device": item["name"],
            "tracker_codename": item["codename"],
            "os": os_of(version),
            "version": version,
            "android": str(item["android"]) if item.get("android") else None,
            "branch": item["branch"],
            "type": item["method"],
            "size": item.get("size"),
            "date": date.isoformat() if isinstance(date, datetime.date) else None,
            "filename": link.split("?")[0].rsplit("/", 1)[-1],
            "md5": item["md5"].lower() if isinstance(item.get("md5"), str) and MD5.match(item["md5"]) else None,
            "link": link,
            "mirrors": [],
            "incremental": None,
            "changelog": None,
        }


class Devices:
    """What devices.yml says: variant -> display name and model name, and back."""

    def __init__(self, path):
        data = load_yaml(path) or {}
        self.by_name = collections.defaultdict(set)
        self.by_model = collections.defaultdict(set)
        for variant, values in data.items():
            if isinstance(values, list) and values:
                self.by_name[str(values[0])].add(variant)
                if len(values) > 1:
                    self.by_model[str(values[1])].add(variant)

    def from_package(self, filename):
        """Variants the package name points at: its variant prefix, or its model name."""
        match = re.match(r"^(.+?)(?:_pre)?(?:[_-]images[_-]|-ota_full-)", filename)
        if match:
            return {match.group(1)}
        match = re.match(r"^miui_([A-Za-z0-9]+?)_", filename)
        if match:
            return set(self.by_model.get(match.group(1), ()))
        return set()

    def variant_of(self, record):
        """(variant, how it was found) for a card or tracker record."""
        named = self.by_name.get(record["device"], set())
        packaged = self.from_package(record["filename"])
        hint = record.get("tracker_codename")
        if hint and (hint in named or not named):
            return hint, "tracker"
        if len(named) == 1:
            return next(iter(named)), "device name"
        both = named & packaged if named else packaged
        if len(both) == 1:
            return next(iter(both)), "package name"
        card = record.get("card_codename")
        if not both and len(packaged) == 1 and base_of(next(iter(packaged))) == card:
            # An ambiguous device name none of whose variants fits the file ("Redmi 1 China" on a
            # miui_HMWGlobal_ package): the package name and the page folder agree, so trust them.
            return next(iter(packaged)), "package name and page"
        candidates = sorted(both or named)
        for variant in candidates:
            if base_of(variant) == card:
                return variant, "device name and page"
        if candidates:
            return candidates[0], "ambiguous device name"
        return card, "page only"


def merge(into, other):
    """Fill what `into` lacks from `other`; keep every distinct download URL."""
    for key, value in other.items():
        if key != "mirrors" and into.get(key) in (None, "", []) and value not in (None, "", []):
            into[key] = value
    urls = [into["link"]] + into["mirrors"]
    # latest.yml often gives the http:// form of a mirror the page lists as https://; one is enough.
    seen = {url.partition("://")[2] for url in urls}
    for url in [other["link"]] + other["mirrors"]:
        if url.partition("://")[2] not in seen:
            urls.append(url)
            seen.add(url.partition("://")[2])
    into["mirrors"] = urls[1:]


def git_revision(directory):
    """{"commit", "date"} of a git checkout, or None."""
    try:
        out = subprocess.run(["git", "-C", str(directory), "log", "-1", "--format=%H %cI"], capture_output=True,
                             text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": out[0], "date": out[1]} if len(out) == 2 else None


def revision_option(text):
    commit, _, date = text.partition("@")
    if not re.match(r"^[0-9a-f]{7,40}$", commit) or not date:
        raise argparse.ArgumentTypeError("expected COMMIT@DATE, e.g. c39d258...@2026-08-23T00:00:00Z")
    return {"commit": commit, "date": date}


def usable(record):
    """Why a merged record cannot go into the catalog, or None."""
    if not FILE_NAME.match(record["filename"]) or len(record["filename"]) > 255:
        return "package name that is not a plain file name"
    for url in [record["link"]] + record["mirrors"] + ([record["incremental"]] if record["incremental"] else []):
        if not URL.match(url):
            return "link that is not an http(s) URL"
    if record["branch"] not in ("Stable", "Stable Beta", "Weekly", "Public Beta"):
        return "unknown branch"
    if record["type"] not in ("Recovery", "Fastboot"):
        return "unknown type"
    return None


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True, type=pathlib.Path, help="xmfirmwareupdater.github.io checkout")
    parser.add_argument("--tracker", required=True, type=pathlib.Path, help="miui-updates-tracker checkout")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="directory for index.json and shards/")
    parser.add_argument("--seeds", type=pathlib.Path, default=root / "tests/fixtures/seeds",
                        help="seed pages whose cards win (default: %(default)s); '' for none")
    parser.add_argument("--site-revision", type=revision_option, metavar="COMMIT@DATE",
                        help="the site's commit and date, when SITE is not a git checkout")
    parser.add_argument("--tracker-revision", type=revision_option, metavar="COMMIT@DATE",
                        help="the tracker's commit and date, when TRACKER is not a git checkout")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    problems = collections.Counter()
    unreadable = []
    devices = Devices(args.tracker / "data/devices.yml")

    pages = [str(path) for family in ("miui", "hyperos")
             for path in sorted((args.site / "pages" / family / "updates").glob("*/*.md"))]
    seeds = sorted(args.seeds.glob("*.txt")) if str(args.seeds) not in ("", ".") and args.seeds.is_dir() else []

    cards, page_count, card_count = [], collections.Counter(), collections.Counter()
    for seed in seeds:
        try:
            parsed_cards, seed_problems, count = parse_page(seed)
        except Unreadable as error:
            unreadable.append(str(error))
            continue
        for card in parsed_cards:
            card["seed"] = True
        cards += parsed_cards
        problems.update(seed_problems)
        card_count["seed"] += count
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path, parsed, error in pool.map(parse_site_page, pages, chunksize=256):
            if error:
                unreadable.append(error)
                continue
            page_cards, page_problems, count = parsed
            card_count["site"] += count
            page_count["HyperOS" if "/hyperos/updates/" in path else "MIUI"] += 1
            cards += page_cards
            problems.update(page_problems)
    site_cards = len(cards)
    cards += list(tracker_records(args.tracker / "data/latest.yml"))

    records, found_by = {}, collections.Counter()
    merged, conflicts = collections.Counter(), collections.Counter()
    folders = collections.defaultdict(list)  # every page folder (and card codename) a record was listed under
    for number, card in enumerate(cards):
        variant, how = devices.variant_of(card)
        found_by[how] += 1
        card["variant"] = variant
        card["codename"] = base_of(variant)
        key = (card["filename"], card["device"])
        folders[key] += [name for name in (card.get("site_codename"), card.get("card_codename")) if name]
        if key in records:
            source = "seed page" if card.get("seed") else "site card" if number < site_cards else "tracker record"
            merged[source] += 1
            if source == "site card" and not records[key].get("seed"):
                conflicts.update(name for name in CONFLICTING if card[name] and records[key][name] and
                                 card[name] != records[key][name])
            # A seed card wins whole: `xfu show` must reproduce it exactly, mirrors and all.
            if card.get("seed") and not records[key].get("seed"):
                records[key] = dict(card, android=card.get("android") or records[key].get("android"))
            elif records[key].get("seed"):
                records[key]["android"] = records[key].get("android") or card.get("android")
            else:
                merge(records[key], card)
        else:
            records[key] = dict(card)

    roms_by_codename = collections.defaultdict(list)
    aliases = collections.defaultdict(set)
    for key, record in records.items():
        reason = usable(record)
        if reason:
            problems[reason] += 1
            continue
        record["region"] = region_of(record["device"], record["variant"])
        record["android"] = record.get("android") or android_of(record["filename"])
        # A file listed both in its own device's folder and in a sibling's (ugglite and ugg) is filed
        # under its own: site_codename only names a folder that differs from the codename.
        if record["codename"] in folders[key]:
            record["site_codename"] = None
        for name in folders[key]:
            if name.lower() != record["codename"].lower():
                aliases[name.lower()].add(record["codename"].lower())
        rom = {key: record.get(key) for key in RECORD_KEYS if record.get(key) not in (None, "", [])}
        if rom["variant"] == rom["codename"]:
            del rom["variant"]
        roms_by_codename[record["codename"].lower()].append(rom)
    codenames = set(roms_by_codename)
    aliases = {alias: sorted(targets) for alias, targets in sorted(aliases.items()) if alias not in codenames}
    # A name that is also some variant's codename is not an alias.
    variants = {rom.get("variant", rom["codename"]).lower() for roms in roms_by_codename.values() for rom in roms}
    aliases = {alias: targets for alias, targets in aliases.items() if alias not in variants}

    sources = {}
    for name, directory, revision, repository in (
            ("site", args.site, args.site_revision, "XiaomiFirmwareUpdater/xmfirmwareupdater.github.io"),
            ("tracker", args.tracker, args.tracker_revision, "XiaomiFirmwareUpdater/miui-updates-tracker")):
        revision = revision or git_revision(directory)
        sources[name] = dict({"repository": repository}, **(revision or {}))
    dates = [source["date"] for source in sources.values() if "date" in source]
    generated = normalise_timestamp(max(dates)) if dates else newest_record_date(roms_by_codename)

    write_layout(args.out, generated, sources, roms_by_codename, aliases)

    total = sum(len(roms) for roms in roms_by_codename.values())
    report = [
        f"pages read: {sum(page_count.values())} (MIUI {page_count['MIUI']}, HyperOS {page_count['HyperOS']})"
        f"; seed pages: {len(seeds)}",
        f"cards read: {card_count['site']} on site pages, {card_count['seed']} on seed pages"
        f"; tracker records read: {len(cards) - site_cards}",
        f"records written: {total} for {len(roms_by_codename)} devices; aliases: {len(aliases)}",
        "device found by: " + ", ".join(f"{how} {count}" for how, count in sorted(found_by.items())),
    ]
    report.append("merged into the record of the same file and device name: " +
                  (", ".join(f"{count} {source}s" for source, count in sorted(merged.items())) or "none"))
    if conflicts:
        report.append("site cards of one file and device name that disagree (the first page's value kept): " +
                      ", ".join(f"{name} {count}" for name, count in sorted(conflicts.items())))
    report += [f"not converted: {count} {reason}" for reason, count in sorted(problems.items())]
    report += [f"unreadable page: {error}" for error in unreadable]
    print("\n".join(report), file=sys.stderr)
    return 1 if unreadable else 0


def normalise_timestamp(text):
    if len(text) == 10:
        return text + "T00:00:00Z"
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def newest_record_date(roms_by_codename):
    dates = [rom["date"] for roms in roms_by_codename.values() for rom in roms if "date" in rom]
    return (max(dates) if dates else "1970-01-01") + "T00:00:00Z"


def record_order(rom):
    return (rom.get("variant", rom["codename"]), rom["branch"], rom["type"], rom.get("date", ""), rom["version"],
            rom["filename"], rom["device"])


def write_layout(out, generated, sources, roms_by_codename, aliases):
    (out / "shards").mkdir(parents=True, exist_ok=True)
    entries, devices = [], []
    for codename in sorted(roms_by_codename):
        roms = sorted(roms_by_codename[codename], key=record_order)
        text = ('{"schema": "xfu-catalog/1", "generated": "%s", "roms": [\n' % generated +
                ",\n".join(json.dumps(rom, ensure_ascii=False) for rom in roms) + "\n]}\n").encode("utf-8")
        path = f"shards/{codename}.json"
        write_if_changed(out / path, text)
        entries.append(f'"{codename}":["{path}",{len(roms)},{len(text)},"{hashlib.sha256(text).hexdigest()}"]')
        # Names and variants in the index let xfu suggest and complete codenames without fetching every shard.
        names = {"names": sorted({rom["device"] for rom in roms}),
                 "variants": sorted({rom.get("variant", rom["codename"]) for rom in roms})}
        devices.append(f'"{codename}":{json.dumps(names, ensure_ascii=False)}')
    index = ('{"schema": "xfu-catalog-index/1",\n"generated": "%s",\n"sources": %s,\n"aliases": %s,\n'
             '"devices": {\n%s\n},\n"codenames": {\n%s\n}}\n' % (
                 generated, json.dumps(sources, sort_keys=True), json.dumps(aliases), ",\n".join(devices),
                 ",\n".join(entries)))
    wanted = {f"{codename}.json" for codename in roms_by_codename}
    for stale in (out / "shards").glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
    write_if_changed(out / "index.json", index.encode("utf-8"))


def write_if_changed(path, data):
    if path.exists() and path.read_bytes() == data:
        return
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


if __name__ == "__main__":
    sys.exit(main())

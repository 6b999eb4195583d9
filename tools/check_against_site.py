#!/usr/bin/env python3
"""Check that xfu returns every ROM card of the XFU site, with the site's values.

    tools/check_against_site.py --site SITE --xfu BINARY [--catalog SRC] [--report FILE]

SITE is laid out like the xmfirmwareupdater.github.io repository
(SITE/pages/{miui,hyperos}/updates/<folder>/<version>.md). For every page
folder F (a codename or an alias), `xfu --catalog SRC list F --json` is asked,
then `list C --json` for every codename C that answer names; every card of F's
pages must be among those records, matched by package name and device name,
with the page's device, version, branch, type, size label ("2.3 GB"), release
date, MD5, full-ROM buttons in order (= [link] + mirrors), incremental link
and changelog (compared as text: entities decoded, <br> as a line break, tags
dropped, white space collapsed). "Unknown" and "None" on a page mean null.

The pages are parsed here on their own, not with tools/make_catalog.py, so
that a parsing mistake in the generator shows up as a difference instead of
being repeated on both sides.

Some differences are expected, and counted apart: the seed pages
(tests/fixtures/seeds) deliberately override a few cards, and one catalog
record stands for every card of the same file and device, so where the site
lists such a card twice with different values xfu can show only one of them.
A difference counts as expected only when xfu shows exactly the other card's
value (for links: one of those cards' buttons first, then only their URLs).

A missing card is looked up in the whole catalog to say which codename xfu
lists it under, if any. --report FILE writes every failure as JSON.

Exit status: 0 when every card is found with every value, 1 otherwise, 2 when
the site or the binary cannot be used.
"""

import argparse
import collections
import concurrent.futures
import html
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time

CARD_START = re.compile(r'<div\s+class="card card-body"\s*>')
FIELD = re.compile(r"<b>\s*([A-Za-z0-9 ]+?)\s*:\s*</b>(.*?)</h5>", re.S)
BUTTON = re.compile(r"<button\b(.*?)>", re.S)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S)
WINDOW_OPEN = re.compile(r"""window\.open\(\s*['"]([^'"]+)['"]""")
CHANGELOG = re.compile(r'<p\s+id="changelog_text"\s*>(.*?)</p>', re.S)
TAG = re.compile(r"<[^>]*>")
BREAK = re.compile(r"<br\s*/?>", re.I)
SPACE = re.compile(r"\s+")
HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
SIZE_LABEL = re.compile(r"^(\d+(?:\.\d+)?) (Bytes|B|KB|MB|GB|TB)$")
SIZE_UNITS = {"Bytes": 1, "B": 1, "KB": 10 ** 3, "MB": 10 ** 6, "GB": 10 ** 9, "TB": 10 ** 12}

FIELDS = ("device", "version", "branch", "type", "size", "date", "md5", "links", "incremental", "changelog")
UNKNOWN = ("", "Unknown", "None")  # how the pages write a value they do not have


def plain(fragment):
    """The text a browser shows for an HTML fragment, on one line."""
    return SPACE.sub(" ", html.unescape(TAG.sub("", fragment))).strip()


def normal_changelog(text):
    # Both sides go through the same steps: xfu turns the page's HTML into text, and a
    # stray tag or entity on either side must not count as a difference in wording.
    if text is None:
        return ""
    text = BREAK.sub("\n", html.unescape(text))
    return SPACE.sub(" ", TAG.sub("", text)).strip()


def parse_cards(text):
    """One dict per card of a page, with the values as the page shows them."""
    cards = []
    for chunk in CARD_START.split(text)[1:]:
        fields = {}
        for label, value in FIELD.findall(chunk):
            fields.setdefault(label.strip(), value)
        full, incremental = [], []
        for attributes in BUTTON.findall(chunk):
            found = {name.lower(): first or second for name, first, second in ATTRIBUTE.findall(attributes)}
            url = WINDOW_OPEN.search(html.unescape(found.get("onclick", "")))
            if not url:
                continue
            if found.get("id") == "download":
                full.append(url.group(1))
            elif found.get("id") == "incremental_download":
                incremental.append(url.group(1))
        md5 = plain(fields.get("MD5", ""))
        date = plain(fields.get("Release Date", ""))
        changelog = CHANGELOG.search(chunk)
        cards.append({
            "device": plain(fields.get("Device", "")),
            "version": plain(fields.get("Version", "")),
            "branch": plain(fields.get("Branch", "")),
            "type": plain(fields.get("Type", "")),
            "size": plain(fields.get("Size", "")) or None,
            "date": None if date in UNKNOWN else date,
            "filename": plain(fields.get("Package Name", "")),
            "md5": None if md5 in UNKNOWN else md5.lower() if HEX32.match(md5) else md5,
            "links": full,
            "incremental": incremental[0] if incremental else None,
            "changelog": changelog.group(1) if changelog else None,
        })
    return cards


def read_page(path):
    """(path, cards, None) or (path, None, why it cannot be read)."""
    try:
        return path, parse_cards(pathlib.Path(path).read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError) as error:
        return path, None, str(error)


def site_folders(site, jobs):
    """{folder: [(page path, cards)]} over the MIUI and HyperOS trees (a folder can be in both), unreadable pages."""
    pages = [str(page) for family in ("miui", "hyperos")
             for page in sorted((site / "pages" / family / "updates").glob("*/*.md"))]
    folders = collections.defaultdict(list)
    unreadable = []
    # 400 MB of HTML: worth every core, and the order of the answers stays the order of the pages.
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        for path, cards, error in pool.map(read_page, pages, chunksize=256):
            if error:
                unreadable.append(f"{path}: {error}")
            else:
                folders[pathlib.Path(path).parent.name].append((path, cards))
    return folders, unreadable


def seed_cards(seeds):
    """{(filename, device): card} of the seed pages."""
    found = {}
    for page in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        text = page.read_text(encoding="utf-8")
        for card in parse_cards(text):
            found[(card["filename"], card["device"])] = card
    return found


class Xfu:
    """`xfu list NAME --json`, each name asked once."""

    def __init__(self, binary, catalog):
        self.command = [binary, "--catalog", catalog]
        self.answers = {}
        self.calls = 0
        self.lock = threading.Lock()

    def list(self, name):
        if name not in self.answers:
            self.answers[name] = self.run(["list", name, "--json"])
        return self.answers[name]

    def list_all(self):
        return self.run(["list", "--json"])

    def run(self, arguments):
        """(parsed JSON, None) or (None, what went wrong)."""
        with self.lock:
            self.calls += 1
        try:
            run = subprocess.run(self.command + arguments, capture_output=True, text=True)
        except OSError as error:  # e.g. the binary being relinked under us
            return None, f"cannot run: {error}"
        if run.returncode != 0:
            return None, f"exit {run.returncode}: {run.stderr.strip()[:200]}"
        try:
            return json.loads(run.stdout or "[]"), None
        except json.JSONDecodeError as error:
            return None, f"output is not JSON: {error}"


def records_for(xfu, folder, owners=()):
    """(records by (filename, device), errors) that xfu gives for a page folder: `list FOLDER`, and
    `list CODENAME` for the codename of each device whose cards the folder holds (`owners`): a site
    folder can hold a sibling device's cards (ugg's holds ugglite files), which only that device's
    own codename returns."""
    records, errors = {}, []
    first, error = xfu.list(folder)
    if error:
        errors.append(f"list {folder}: {error}")
    names = {folder} | set(owners) | {record.get("codename") for record in first or [] if record.get("codename")}
    for name in sorted(names):
        answer, error = xfu.list(name) if name != folder else (first, None)
        if error and name != folder:
            errors.append(f"list {name}: {error}")
        for record in answer or []:
            records.setdefault((record.get("filename"), record.get("device")), record)
    return records, errors


def xfu_value(record, field):
    if field == "links":
        return [record["link"]] + list(record.get("mirrors") or []) if record.get("link") else []
    return record.get(field)


def same(field, want, got):
    if field == "changelog":
        return normal_changelog(want) == normal_changelog(got)
    return want == got


def label_bytes(label):
    """Bytes a size label such as "2.3 GB" stands for, in the decimal units the site uses, or None."""
    match = SIZE_LABEL.match(label or "")
    if not match:
        return None
    return round(float(match.group(1)) * SIZE_UNITS[match.group(2)])


def links_class(want, got):
    """Names the way a list of download URLs differs from the page's buttons."""
    if got[:len(want)] == want:
        return "links: the page's, then more mirrors"
    if sorted(got) == sorted(want):
        return "links: the page's, in another order"
    if set(want) <= set(got):
        return "links: the page's in another order, and more"
    return "links: not the page's"


def differences(card, record):
    """{field: (page value, xfu value)} for every field whose value differs."""
    found = {}
    for field in FIELDS:
        want, got = card[field], xfu_value(record, field)
        if not same(field, want, got):
            found[field] = (want, got)
    return found


def explained(field, got, candidates, cards):
    """Whether one of `candidates` (a seed page's card, or the other cards of the same file and
    device) shows `got`.

    One catalog record stands for all the cards of a file and device, so it can match only one
    of them when they disagree; its links are one card's buttons followed by the other cards' URLs
    (so for the links the card itself is among the candidates)."""
    if field != "links":
        return any(same(field, other[field], got) for other in candidates)
    urls = {url for other in cards for url in other["links"]}
    return set(got) <= urls and any(got[:len(other["links"])] == other["links"]
                                    for other in candidates if other["links"])


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True, type=pathlib.Path, help="xmfirmwareupdater.github.io checkout")
    parser.add_argument("--xfu", required=True, help="the xfu binary to check")
    parser.add_argument("--catalog", default="builtin", help="catalog for xfu to read (default: %(default)s)")
    parser.add_argument("--seeds", type=pathlib.Path, default=root / "tests/fixtures/seeds",
                        help="seed pages whose cards override the site's (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=4, help="xfu processes at once (default: %(default)s)")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per kind of failure")
    parser.add_argument("--report", type=pathlib.Path, help="write every failure to this file, as JSON")
    args = parser.parse_args()

    started = time.monotonic()
    if not (args.site / "pages").is_dir():
        print(f"{args.site}/pages: not a directory", file=sys.stderr)
        return 2
    try:
        subprocess.run([args.xfu, "--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"{args.xfu}: cannot run: {error}", file=sys.stderr)
        return 2
    folders, unreadable = site_folders(args.site, os.cpu_count() or 1)
    seeds = seed_cards(args.seeds)
    cards_by_key = collections.defaultdict(list)
    for pages in folders.values():
        for _, cards in pages:
            for card in cards:
                cards_by_key[(card["filename"], card["device"])].append(card)
    parsed = time.monotonic()

    xfu = Xfu(args.xfu, args.catalog)
    # Which device's codename xfu files each card under, from one listing of the whole catalog.
    everything, listing_error = xfu.list_all()
    owner = {(record.get("filename"), record.get("device")): record.get("codename") for record in everything or []}
    owners = {folder: {owner[(card["filename"], card["device"])] for _, cards in pages for card in cards
                       if (card["filename"], card["device"]) in owner} for folder, pages in folders.items()}
    # Threads are enough, the work is done in the xfu processes; a handful at once keeps the
    # machine usable, and the answers are shared between folders that name the same codename.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        answers = dict(zip(sorted(folders), pool.map(lambda folder: records_for(xfu, folder, owners[folder]),
                                                     sorted(folders))))

    checked = 0
    missing = []                                  # (folder, page, card)
    mismatches = collections.defaultdict(list)    # class -> [(page, card, page value, xfu value)]
    expected = collections.Counter()              # why a difference is expected -> cards
    lookup_errors = []
    for folder in sorted(folders):
        records, errors = answers[folder]
        lookup_errors += [(folder, error) for error in errors]
        for page, cards in folders[folder]:
            for card in cards:
                checked += 1
                key = (card["filename"], card["device"])
                record = records.get(key)
                if record is None:
                    missing.append((folder, page, card))
                    continue
                seed = [seeds[key]] if key in seeds else []
                twins = [other for other in cards_by_key[key] if other is not card]
                for field, (want, got) in differences(card, record).items():
                    if seed and explained(field, got, seed, seed + cards_by_key[key]):
                        expected["a seed page's value"] += 1
                    elif twins and explained(field, got, cards_by_key[key] if field == "links" else twins,
                                             cards_by_key[key]):
                        expected["another card of the same file and device"] += 1
                    elif field == "size" and isinstance(got, (int, float)) and not isinstance(got, bool) \
                            and label_bytes(want) == got:
                        mismatches["size: a number, not the page's label"].append((page, card, want, got))
                    elif field == "links":
                        mismatches[links_class(want, got)].append((page, card, want, got))
                    else:
                        mismatches[field].append((page, card, want, got))

    # Where the missing cards went, from one listing of the whole catalog.
    elsewhere = {}
    if missing:
        for record in everything or []:
            elsewhere.setdefault((record.get("filename"), record.get("device")), record.get("codename"))
    finished = time.monotonic()

    def show(value):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 150 else text[:147] + "..."

    moved = collections.Counter(elsewhere.get((card["filename"], card["device"])) for _, _, card in missing)
    bad_cards = {id(card) for rows in mismatches.values() for _, card, _, _ in rows}
    print(f"site: {args.site}: {sum(len(pages) for pages in folders.values())} pages, {len(unreadable)} unreadable")
    print(f"xfu: {args.xfu} --catalog {args.catalog}: {xfu.calls} calls, "
          f"{len({folder for folder, _ in lookup_errors})} folders with a failed lookup")
    print(f"folders checked: {len(folders)}")
    print(f"cards checked: {checked}")
    if missing and listing_error:
        print(f"missing: {len(missing)} (where xfu has them is unknown: list --json: {listing_error})")
    else:
        print(f"missing: {len(missing)}" + (f" ({len(missing) - moved[None]} listed under another codename, "
                                             f"{moved[None]} not in the catalog)" if missing else ""))
    print(f"cards with a mismatch: {len(bad_cards)}")
    for name in sorted(mismatches, key=lambda name: (-len(mismatches[name]), name)):
        print(f"  {name}: {len(mismatches[name])}")
    for reason, count in sorted(expected.items()):
        print(f"expected differences (xfu shows {reason}): {count}")
    print(f"time: {finished - started:.1f} s (reading the site {parsed - started:.1f} s)")

    for line in unreadable[:args.examples]:
        print(f"\nunreadable page: {line}")
    if lookup_errors:
        print("\nfailed lookups:")
        for folder, error in lookup_errors[:max(args.examples, 10)]:  # few, and each hides a whole folder
            print(f"  {folder}: {error}")
    if missing:
        print("\nmissing cards:")
        for folder, page, card in missing[:args.examples]:
            where = elsewhere.get((card["filename"], card["device"]))
            print(f"  {card['filename']} / {card['device']}" + (f" (xfu lists it under {where})" if where else "")
                  + f"\n    {page}")
        if moved and not listing_error:
            print("  under: " + ", ".join(f"{where or '(nowhere)'} {count}" for where, count in moved.most_common(8)))
    for name in sorted(mismatches, key=lambda name: (-len(mismatches[name]), name)):
        print(f"\n{name}:")
        for page, card, want, got in mismatches[name][:args.examples]:
            print(f"  {card['filename']} / {card['device']}\n    {page}")
            if name.startswith("links") and isinstance(got, list):
                # Whole URL lists hide the difference; show where they part.
                common = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
                print(f"    both start with {common} of the page's {len(want)} URLs; then")
                want, got = want[common:], got[common:]
            elif name == "changelog":
                want, got = normal_changelog(want), normal_changelog(got)
            print(f"    page: {show(want)}\n    xfu:  {show(got)}")
    if args.report:
        args.report.write_text(json.dumps({
            "unreadable": unreadable,
            "failed_lookups": [{"folder": folder, "error": error} for folder, error in lookup_errors],
            "missing": [{"page": str(page), "filename": card["filename"], "device": card["device"],
                         "listed_under": elsewhere.get((card["filename"], card["device"]))}
                        for folder, page, card in missing],
            "mismatches": {name: [{"page": str(page), "filename": card["filename"], "device": card["device"],
                                   "page_value": want, "xfu_value": got} for page, card, want, got in rows]
                           for name, rows in sorted(mismatches.items())},
        }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    ok = not (unreadable or lookup_errors or missing or mismatches)
    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

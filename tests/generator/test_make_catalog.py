#!/usr/bin/env python3
"""tools/make_catalog.py on real XFU pages (tests/fixtures/generator, see its README.md).

The expected values below are the ones printed on the fixture pages and in the
fixture latest.yml; the generator must carry them over unchanged.
Runs with the standard library and PyYAML (which the generator imports).
"""

import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GENERATOR = ROOT / "tools" / "make_catalog.py"
FIXTURES = HERE.parent / "fixtures" / "generator"
SITE = FIXTURES / "site"
BAD_SITE = FIXTURES / "bad-site"
TRACKER = FIXTURES / "tracker"
SITE_COMMIT, SITE_DATE = "c39d25873b26e5207a8067f073b963edc7e9983f", "2026-08-23"
TRACKER_COMMIT, TRACKER_DATE = "738bb11e86f30c3e9b6ce1905157b3ee4c0eca99", "2026-08-22"

MIRROR_HOSTS = ("https://cdnorg.d.miui.com", "https://bkt-sgp-miui-ota-update-alisgp.oss-ap-southeast-1.aliyuncs.com",
                "https://bn.d.miui.com", "https://bigota.d.miui.com", "https://hugeota.d.miui.com")


def five(path):
    """The five mirror URLs the newer pages list for one file, in page order."""
    return [host + path for host in MIRROR_HOSTS]


def generate(out, site=SITE, seeds=""):
    """Runs the generator; seeds=None leaves --seeds at its default (tests/fixtures/seeds)."""
    command = [sys.executable, str(GENERATOR), "--site", str(site), "--tracker", str(TRACKER), "--out", str(out),
               "--site-revision", f"{SITE_COMMIT}@{SITE_DATE}", "--tracker-revision", f"{TRACKER_COMMIT}@{TRACKER_DATE}",
               "--jobs", "2"]
    if seeds is not None:
        command += ["--seeds", seeds]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def read_layout(out):
    """(index, {codename: [record, ...]}, {(filename, device): record})."""
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    shards, records = {}, {}
    for path in sorted((out / "shards").iterdir()):
        roms = json.loads(path.read_text(encoding="utf-8"))["roms"]
        shards[path.stem] = roms
        for rom in roms:
            key = (rom["filename"], rom["device"])
            if key in records:
                raise AssertionError(f"{key} written twice")
            records[key] = rom
    return index, shards, records


def changelogs_on(page):
    """The changelog of every card on a page, as the page's HTML has it."""
    text = (SITE / "pages" / page).read_text(encoding="utf-8")
    start, found = '<p id="changelog_text">', []
    position = text.find(start)
    while position >= 0:
        end = text.index("</p>", position)
        found.append(text[position + len(start):end].strip())
        position = text.find(start, end)
    return found


def all_files(directory):
    return {path.relative_to(directory).as_posix(): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


class Generated(unittest.TestCase):
    """Generates the good fixture site once for the class; `seeds` as generate() takes it."""

    seeds = ""

    @classmethod
    def setUpClass(cls):
        cls.temporary = tempfile.TemporaryDirectory()
        cls.out = pathlib.Path(cls.temporary.name) / "catalog"
        cls.result = generate(cls.out, seeds=cls.seeds)
        if cls.result.returncode != 0:
            raise AssertionError(f"generator failed ({cls.result.returncode}):\n{cls.result.stderr}")
        cls.index, cls.shards, cls.records = read_layout(cls.out)

    @classmethod
    def tearDownClass(cls):
        cls.temporary.cleanup()


class Converted(Generated):
    """The good fixture site, without seed pages."""

    def record(self, filename, device):
        self.assertIn((filename, device), self.records)
        return self.records[(filename, device)]

    def test_report(self):
        self.assertEqual(self.result.stdout, "")
        self.assertEqual(self.result.stderr.splitlines(), [
            "pages read: 13 (MIUI 10, HyperOS 3); seed pages: 0",
            "cards read: 19 on site pages, 0 on seed pages; tracker records read: 6",
            "records written: 17 for 8 devices; aliases: 3",
            "device found by: device name 17, package name 1, page only 1, tracker 6",
            "merged into the record of the same file and device name: 3 site cards, 5 tracker records",
        ])

    def test_every_card_once(self):
        # 19 cards: the davinci/davinciin, ugg/ugglite and miui/hyperos houji pairs list one file for one
        # device name twice, so 16 records from the pages plus the one latest.yml file no page lists.
        self.assertEqual(len(self.records), 17)
        self.assertEqual({codename: len(roms) for codename, roms in self.shards.items()},
                         {"aristotle": 1, "beryl": 2, "cancro": 7, "davinci": 1, "houji": 1, "laurel_sprout": 3,
                          "star": 1, "ugglite": 1})
        for codename, roms in self.shards.items():
            for rom in roms:
                self.assertEqual(rom["codename"].lower(), codename)

    def test_laurel_sprout_five_mirrors_and_incremental(self):
        self.assertEqual(self.record("miui_LAURELSPROUTGlobal_V12.0.26.0.RFQMIXM_88b2e6c4fb_11.0.zip", "Mi A3 Global"), {
            "codename": "laurel_sprout",
            "variant": "laurel_sprout_global",
            "region": "Global",
            "device": "Mi A3 Global",
            "os": "MIUI",
            "version": "V12.0.26.0.RFQMIXM",
            "android": "11.0",
            "branch": "Stable",
            "type": "Recovery",
            "size": "350 Bytes",
            "date": "2022-08-15",
            "filename": "miui_LAURELSPROUTGlobal_V12.0.26.0.RFQMIXM_88b2e6c4fb_11.0.zip",
            "md5": "88b2e6c4fba84155121e4eb684c623ba",
            "link": "https://cdnorg.d.miui.com/V12.0.26.0.RFQMIXM/miui_LAURELSPROUTGlobal_V12.0.26.0.RFQMIXM_88b2e6c4fb_11.0.zip",
            "mirrors": five("/V12.0.26.0.RFQMIXM/miui_LAURELSPROUTGlobal_V12.0.26.0.RFQMIXM_88b2e6c4fb_11.0.zip")[1:],
            "incremental": "https://bigota.d.miui.com/V12.0.26.0.RFQMIXM/miui-blockota-laurel_sprout_global-"
                           "V12.0.25.0.RFQMIXM-V12.0.26.0.RFQMIXM-3d65bfa7d9-11.0.zip",
            "changelog": "[Other]<br>Optimized system performance<br>Improved system security and stability",
            "site_codename": "laurel",
        })
        fastboot = self.record("laurel_sprout_global_images_V12.0.26.0.RFQMIXM_20220808.0000.00_11.0_2292e2c0b1.tgz",
                               "Mi A3 Global")
        self.assertEqual(fastboot["type"], "Fastboot")
        self.assertEqual(fastboot["size"], "346 Bytes")
        self.assertEqual(fastboot["date"], "2022-08-08")
        self.assertEqual(fastboot["md5"], "2292e2c0b1c0e9839d5b14427154b5b4")
        self.assertEqual([fastboot["link"]] + fastboot["mirrors"], five(
            "/V12.0.26.0.RFQMIXM/laurel_sprout_global_images_V12.0.26.0.RFQMIXM_20220808.0000.00_11.0_2292e2c0b1.tgz"))
        self.assertNotIn("incremental", fastboot)
        self.assertEqual(fastboot["changelog"], "Bug fixes and system optimizations.")

    def test_single_full_rom_button_and_size_label(self):
        # An older page layout: one "Full ROM" button, and a package name without its .tgz.
        self.assertEqual(self.record("laurel_sprout_global_images_V12.0.2.0.RFQMIXM_20201226.0000.00_11.0_9a673f1503",
                                     "Mi A3 Global"), {
            "codename": "laurel_sprout",
            "variant": "laurel_sprout_global",
            "region": "Global",
            "device": "Mi A3 Global",
            "os": "MIUI",
            "version": "V12.0.2.0.RFQMIXM",
            "android": "11.0",
            "branch": "Stable",
            "type": "Fastboot",
            "size": "2.3 GB",
            "date": "2020-12-26",
            "filename": "laurel_sprout_global_images_V12.0.2.0.RFQMIXM_20201226.0000.00_11.0_9a673f1503",
            "md5": "9a673f15030cd97d4b325f72233c83b2",
            "link": "https://bigota.d.miui.com/V12.0.2.0.RFQMIXM/"
                    "laurel_sprout_global_images_V12.0.2.0.RFQMIXM_20201226.0000.00_11.0_9a673f1503",
            "changelog": "Bug fixes and system optimizations.",
            "site_codename": "laurel",
        })

    def test_md5_unknown_and_one_link(self):
        self.assertEqual(self.record("miui_STAR_21.8.25_72cb4e8887_11.0.zip", "Mi 11 Pro / Ultra China"), {
            "codename": "star",
            "region": "China",
            "device": "Mi 11 Pro / Ultra China",
            "os": "MIUI",
            "version": "21.8.25",
            "android": "11.0",
            "branch": "Weekly",
            "type": "Recovery",
            "size": "4.5 GB",
            "date": "2021-08-26",
            "filename": "miui_STAR_21.8.25_72cb4e8887_11.0.zip",
            "link": "https://bigota.d.miui.com/21.8.25/miui_STAR_21.8.25_72cb4e8887_11.0.zip",
            "changelog": "Bug fixes and system optimizations.",
        })

    def test_hyperos_packages(self):
        beryl = "Redmi Note 14 5G / POCO M7 Pro 5G Global"
        ota = self.record("beryl_global-ota_full-OS2.0.1.0.VOQMIXM-user-15.0-b39eb6dd73.zip", beryl)
        self.assertEqual(ota, {
            "codename": "beryl",
            "variant": "beryl_global",
            "region": "Global",
            "device": beryl,
            "os": "HyperOS",
            "version": "OS2.0.1.0.VOQMIXM",
            "android": "15.0",
            "branch": "Stable",
            "type": "Recovery",
            "size": "4.9 GB",
            "date": "2025-03-22",
            "filename": "beryl_global-ota_full-OS2.0.1.0.VOQMIXM-user-15.0-b39eb6dd73.zip",
            "link": "https://cdnorg.d.miui.com/OS2.0.1.0.VOQMIXM/beryl_global-ota_full-OS2.0.1.0.VOQMIXM-user-15.0-"
                    "b39eb6dd73.zip",
            "mirrors": five("/OS2.0.1.0.VOQMIXM/beryl_global-ota_full-OS2.0.1.0.VOQMIXM-user-15.0-b39eb6dd73.zip")[1:],
            "changelog": "Bug fixes and system optimizations.",
        })
        images = self.record("beryl_global_images_OS2.0.1.0.VOQMIXM_20250120.0000.00_15.0_global_0b17ad9bb3.tgz", beryl)
        self.assertEqual((images["type"], images["size"], images["date"], images["android"]),
                         ("Fastboot", "8.2 GB", "2025-01-20", "15.0"))
        self.assertNotIn("md5", images)

        eea = self.record("aristotle_eea_global-ota_full-OS3.0.3.0.WMFEUXM-user-16.0-c64a045f45.zip", "Xiaomi 13T EEA")
        expected = {"codename": "aristotle", "variant": "aristotle_eea_global", "region": "EEA", "os": "HyperOS",
                    "version": "OS3.0.3.0.WMFEUXM", "android": "16.0", "branch": "Stable Beta", "type": "Recovery",
                    "size": "6.7 GB", "date": "2026-08-06", "md5": "c64a045f4549d8e096749585bb9ce95d"}
        self.assertEqual({key: eea.get(key) for key in expected}, expected)
        self.assertEqual([eea["link"]] + eea["mirrors"],
                         five("/OS3.0.3.0.WMFEUXM/aristotle_eea_global-ota_full-OS3.0.3.0.WMFEUXM-user-16.0-c64a045f45.zip"))
        self.assertEqual(eea["changelog"], changelogs_on("hyperos/updates/aristotle/OS3.0.3.0.WMFEUXM.md")[0])
        self.assertTrue(eea["changelog"].startswith("[Basic experience]<br>Smoother and more stable<br>"))

    def test_one_file_two_device_names(self):
        page = changelogs_on("miui/updates/cancro/7.12.8.md")
        fastboot = "cancro_global_images_7.12.8_20171208.0000.00_6.0_global_5b06774c6e.tgz"
        recovery = "miui_MI3WMI4WGlobal_7.12.8_7d3da38965_6.0.zip"
        for device in ("MI 3 / Mi 4 Global", "MI 3 Global"):
            for filename, kind, size in ((fastboot, "Fastboot", "1.1 GB"), (recovery, "Recovery", "786.3 MB")):
                rom = self.record(filename, device)
                self.assertEqual((rom["codename"], rom["region"], rom["os"], rom["version"], rom["android"],
                                  rom["branch"], rom["type"], rom["size"], rom["date"]),
                                 ("cancro", "Global", "MIUI", "7.12.8", "6.0", "Weekly", kind, size, "2017-12-08"))
                self.assertEqual([rom["link"]] + rom["mirrors"], five("/7.12.8/" + filename))
                self.assertEqual(rom["changelog"], page[0])
                self.assertNotIn("site_codename", rom)
        # The fastboot card shows MD5 "Unknown"; the recovery card a real one.
        self.assertNotIn("md5", self.record(fastboot, "MI 3 Global"))
        self.assertEqual(self.record(recovery, "MI 3 Global")["md5"], "7d3da389652f8fb5de458aadaca375b8")
        # "MI 3 Global" is cancro_global in devices.yml; "MI 3 / Mi 4 Global" is not there at all, so its
        # variant comes from the package name where that names one, else the page.
        self.assertEqual(self.record(fastboot, "MI 3 Global")["variant"], "cancro_global")
        self.assertEqual(self.record(recovery, "MI 3 Global")["variant"], "cancro_global")
        self.assertEqual(self.record(fastboot, "MI 3 / Mi 4 Global")["variant"], "cancro_global")
        self.assertNotIn("variant", self.record(recovery, "MI 3 / Mi 4 Global"))

    def test_tracker_http_link_is_not_a_second_mirror(self):
        rom = self.record("cancro_images_V10.1.1.0.MXDCNFI_20181010.0000.00_6.0_cn_911b6abc33.tgz", "MI 3 / Mi 4 China")
        self.assertEqual([rom["link"]] + rom["mirrors"],
                         five("/V10.1.1.0.MXDCNFI/cancro_images_V10.1.1.0.MXDCNFI_20181010.0000.00_6.0_cn_911b6abc33.tgz"))
        recovery = self.record("miui_MI3WMI4W_V10.1.1.0.MXDCNFI_5adf2b8422_6.0.zip", "MI 3 / Mi 4 China")
        self.assertEqual([recovery["link"]] + recovery["mirrors"],
                         five("/V10.1.1.0.MXDCNFI/miui_MI3WMI4W_V10.1.1.0.MXDCNFI_5adf2b8422_6.0.zip"))
        # On this card the incremental button comes before the five full-ROM buttons.
        self.assertEqual(recovery["incremental"], "https://bigota.d.miui.com/V10.1.1.0.MXDCNFI/"
                                                  "miui-ota-cancro-V9.6.4.0.MXDCNFD-V10.1.1.0.MXDCNFI-a6c4d7ae94-6.0.zip")
        self.assertEqual((recovery["size"], recovery["md5"], recovery["branch"], recovery["changelog"]),
                         ("791.2 MB", "5adf2b842203d35003f34c73eff6a99b", "Stable",
                          "[Other]<br>Optimized system performance<br>Fixed bugs"))

    def test_tracker_only_record(self):
        self.assertEqual(self.record("cancro_images_8.9.13_20180913.0000.00_6.0_cn_0916c3d833.tgz", "MI 3 / Mi 4 China"), {
            "codename": "cancro",
            "region": "China",
            "device": "MI 3 / Mi 4 China",
            "os": "MIUI",
            "version": "8.9.13",
            "android": "6.0",
            "branch": "Weekly",
            "type": "Fastboot",
            "size": "1.4 GB",
            "date": "2018-10-14",
            "filename": "cancro_images_8.9.13_20180913.0000.00_6.0_cn_0916c3d833.tgz",
            "md5": "0916c3d833a945bb6ee0d9e4ca15b171",
            "link": "http://bigota.d.miui.com/8.9.13/cancro_images_8.9.13_20180913.0000.00_6.0_cn_0916c3d833.tgz",
        })

    def test_file_on_a_miui_and_a_hyperos_page(self):
        # The miui page (read first) has one button, the hyperos page all five: one record with
        # every URL, the miui page's first; the version makes it HyperOS.
        rom = self.record("miui_HOUJI_OS1.0.6.0.UNCCNXM_3461cbcbc7_14.0.zip", "Xiaomi 14 China")
        path = "/OS1.0.6.0.UNCCNXM/miui_HOUJI_OS1.0.6.0.UNCCNXM_3461cbcbc7_14.0.zip"
        self.assertEqual(rom["link"], "https://bigota.d.miui.com" + path)
        self.assertEqual(rom["mirrors"], [url for url in five(path) if url != rom["link"]])
        self.assertEqual((rom["codename"], rom["os"], rom["version"], rom["branch"], rom["size"], rom["md5"]),
                         ("houji", "HyperOS", "OS1.0.6.0.UNCCNXM", "Stable Beta", "5.8 GB",
                          "3461cbcbc78f2d2406f259e0a65a88ab"))
        self.assertNotIn("site_codename", rom)

    def test_file_in_two_folders(self):
        # davinciin/9.11.1 lists the davinci file with one button and MD5 "Unknown"; davinci/9.11.1 with
        # five mirrors and the MD5. The record has both, and is filed under its own folder.
        rom = self.record("miui_DAVINCI_9.11.1_a96a3258cf_10.0.zip", "Redmi K20 China")
        self.assertEqual(rom["md5"], "a96a3258cfd3d1a84b8d166294151721")
        self.assertEqual([rom["link"]] + rom["mirrors"], five("/9.11.1/miui_DAVINCI_9.11.1_a96a3258cf_10.0.zip"))
        self.assertEqual((rom["codename"], rom["region"], rom["size"], rom["date"], rom["android"]),
                         ("davinci", "China", "2.5 GB", "2019-11-01", "10.0"))
        self.assertNotIn("variant", rom)
        self.assertNotIn("site_codename", rom)

    def test_filed_under_its_own_folder(self):
        # The same page under ugg/ (read first) and ugglite/; the card names ugglite, and so does
        # devices.yml. The record is ugglite's and needs no site_codename.
        path = "/V9.5.8.0.NDFMIFA/miui_HMNote5ALITEGlobal_V9.5.8.0.NDFMIFA_8f7ee6dd21_7.1.zip"
        self.assertEqual(self.record("miui_HMNote5ALITEGlobal_V9.5.8.0.NDFMIFA_8f7ee6dd21_7.1.zip",
                                     "Redmi Note 5A (2GB) Global"), {
            "codename": "ugglite",
            "variant": "ugglite_global",
            "region": "Global",
            "device": "Redmi Note 5A (2GB) Global",
            "os": "MIUI",
            "version": "V9.5.8.0.NDFMIFA",
            "android": "7.1",
            "branch": "Stable",
            "type": "Recovery",
            "size": "1.3 GB",
            "date": "2018-05-30",
            "filename": "miui_HMNote5ALITEGlobal_V9.5.8.0.NDFMIFA_8f7ee6dd21_7.1.zip",
            "md5": "8f7ee6dd2192c3c889f42cd38fa95d15",
            "link": five(path)[0],
            "mirrors": five(path)[1:],
            "changelog": "[System]<br>Optimization - Bug Fixes & Performance Improvements(05-29)",
        })

    def test_index(self):
        self.assertEqual(self.index["schema"], "xfu-catalog-index/1")
        self.assertEqual(self.index["generated"], "2026-08-23T00:00:00Z")
        self.assertEqual(self.index["sources"], {
            "site": {"repository": "XiaomiFirmwareUpdater/xmfirmwareupdater.github.io", "commit": SITE_COMMIT,
                     "date": SITE_DATE},
            "tracker": {"repository": "XiaomiFirmwareUpdater/miui-updates-tracker", "commit": TRACKER_COMMIT,
                        "date": TRACKER_DATE},
        })
        # davinciin and ugg are device folders too, but no record here is theirs: only names.
        self.assertEqual(self.index["aliases"],
                         {"davinciin": ["davinci"], "laurel": ["laurel_sprout"], "ugg": ["ugglite"]})
        self.assertEqual(sorted(self.index["codenames"]),
                         ["aristotle", "beryl", "cancro", "davinci", "houji", "laurel_sprout", "star", "ugglite"])
        self.assertEqual(sorted(path.name for path in (self.out / "shards").iterdir()),
                         [f"{codename}.json" for codename in sorted(self.index["codenames"])])
        for codename, (path, count, size, sha256) in self.index["codenames"].items():
            data = (self.out / path).read_bytes()
            self.assertEqual(path, f"shards/{codename}.json")
            self.assertEqual(count, len(self.shards[codename]))
            self.assertEqual(size, len(data))
            self.assertEqual(sha256, hashlib.sha256(data).hexdigest())

    def test_shard_layout(self):
        # One record a line, so that a diff of two catalogs shows changed ROMs.
        for codename, roms in self.shards.items():
            lines = (self.out / "shards" / f"{codename}.json").read_text(encoding="utf-8").split("\n")
            self.assertEqual(lines[0], '{"schema": "xfu-catalog/1", "generated": "2026-08-23T00:00:00Z", "roms": [')
            self.assertEqual(lines[-2:], ["]}", ""])
            self.assertEqual(len(lines), len(roms) + 3)
            for number, (line, rom) in enumerate(zip(lines[1:-2], roms)):
                self.assertEqual(json.loads(line.rstrip(",")), rom)
                self.assertEqual(line.endswith(","), number < len(roms) - 1)

    def test_same_input_same_bytes(self):
        with tempfile.TemporaryDirectory() as directory:
            again = pathlib.Path(directory) / "catalog"
            self.assertEqual(generate(again).returncode, 0)
            first = all_files(self.out)
            self.assertEqual(all_files(again), first)
            self.assertEqual(len(first), 9)
            # Over an existing catalog: nothing changes.
            self.assertEqual(generate(again).returncode, 0)
            self.assertEqual(all_files(again), first)


class DefaultSeeds(Generated):
    """The same site with the five seed pages in tests/fixtures/seeds, whose cards win for their files."""

    seeds = None

    def test_report(self):
        self.assertEqual(self.result.stderr.splitlines()[:3], [
            "pages read: 13 (MIUI 10, HyperOS 3); seed pages: 5",
            "cards read: 19 on site pages, 20 on seed pages; tracker records read: 6",
            "records written: 33 for 11 devices; aliases: 3",
        ])
        self.assertEqual(self.result.stderr.splitlines()[-1],
                         "merged into the record of the same file and device name: 7 site cards, 5 tracker records")

    def test_seed_card_wins(self):
        # The seed copy of cancro/7.12.8 has a single bigota button; it wins whole, so the site's other
        # four mirrors are not added and `xfu show` reproduces the seed card exactly.
        filename = "cancro_global_images_7.12.8_20171208.0000.00_6.0_global_5b06774c6e.tgz"
        urls = five("/7.12.8/" + filename)
        for device in ("MI 3 / Mi 4 Global", "MI 3 Global"):
            rom = self.records[(filename, device)]
            self.assertEqual(rom["link"], urls[3])
            self.assertNotIn("mirrors", rom)
            self.assertEqual((rom["size"], rom["date"], rom["version"]), ("1.1 GB", "2017-12-08", "7.12.8"))

    def test_seed_only_devices(self):
        self.assertEqual({codename: len(roms) for codename, roms in self.shards.items()},
                         {"aristotle": 1, "beryl": 2, "cancro": 13, "capricorn": 4, "davinci": 1, "dipper": 4,
                          "gemini": 2, "houji": 1, "laurel_sprout": 3, "star": 1, "ugglite": 1})
        # Pages not in the fixture site are untouched by it: one button, as on the seed page.
        rom = self.records[("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip", "Mi 8 Global")]
        self.assertEqual(rom["link"], "https://bigota.d.miui.com/8.12.7/miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip")
        self.assertNotIn("mirrors", rom)


class BadSite(unittest.TestCase):
    """A page without front matter and one that is not UTF-8 fail the run; the good page is still converted."""

    def test_refuses_bad_pages_and_converts_the_rest(self):
        with tempfile.TemporaryDirectory() as directory:
            out = pathlib.Path(directory) / "catalog"
            run = generate(out, site=BAD_SITE)
            self.assertEqual(run.returncode, 1, run.stderr)
            lines = run.stderr.splitlines()
            pages = BAD_SITE / "pages" / "miui" / "updates"
            self.assertEqual(lines[:3], [
                "pages read: 2 (MIUI 2, HyperOS 0); seed pages: 0",
                "cards read: 2 on site pages, 0 on seed pages; tracker records read: 6",
                "records written: 7 for 4 devices; aliases: 0",
            ])
            self.assertIn("not converted: 1 card without a full ROM link", lines)
            unreadable = [line for line in lines if line.startswith("unreadable page: ")]
            self.assertEqual(len(unreadable), 2, run.stderr)
            self.assertEqual(unreadable[0], f"unreadable page: {pages / 'cancro' / '6.1.28.md'}: no front matter")
            self.assertTrue(unreadable[1].startswith(f"unreadable page: {pages / 'wt98007' / '7.11.16.md'}: "
                                                     "'utf-8' codec can't decode byte 0xe9"), unreadable[1])
            _, shards, records = read_layout(out)
            self.assertEqual(records[("miui_STAR_21.8.25_72cb4e8887_11.0.zip", "Mi 11 Pro / Ultra China")]["link"],
                             "https://bigota.d.miui.com/21.8.25/miui_STAR_21.8.25_72cb4e8887_11.0.zip")
            # Nothing from the refused pages, nor from the card without a link.
            self.assertEqual(sorted(shards), ["cancro", "houji", "laurel_sprout", "star"])
            self.assertFalse(any(name.startswith("miui-ota-wt98007") or name.startswith("miui_MI3WMI4W_6.1.28")
                                 or name.startswith("miui_DAVINCI_9.11.1") for name, _ in records))


if __name__ == "__main__":
    unittest.main(verbosity=2)

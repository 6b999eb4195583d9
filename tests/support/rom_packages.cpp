#include "support/rom_packages.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>

namespace xfu::test {

namespace {

using Writer = std::unique_ptr<archive, decltype(&archive_write_free)>;

void check(archive* writing, int result, const char* what) {
  if (result < ARCHIVE_WARN) {
    throw std::runtime_error(std::string(what) + ": " + (archive_error_string(writing) ?: "libarchive error"));
  }
}

Writer open_writer(const std::filesystem::path& path, ArchiveFormat format) {
  Writer writing(archive_write_new(), &archive_write_free);
  archive* w = writing.get();
  if (format == ArchiveFormat::Zip) {
    check(w, archive_write_set_format_zip(w), "zip format");
  } else {
    check(w, archive_write_set_format_gnutar(w), "tar format");
    if (format == ArchiveFormat::TarGz) check(w, archive_write_add_filter_gzip(w), "gzip filter");
    if (format == ArchiveFormat::TarXz) check(w, archive_write_add_filter_xz(w), "xz filter");
  }
  check(w, archive_write_open_filename(w, path.c_str()), "open");
  return writing;
}

// Fills a block with the next bytes of an entry's content.
using Fill = std::function<void(std::string& block)>;

void add_entry(archive* writing, const std::string& path, uint64_t size, const Fill& fill) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), &archive_entry_free);
  archive_entry_set_pathname(entry.get(), path.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  archive_entry_set_mtime(entry.get(), 1568171234, 0);
  check(writing, archive_write_header(writing, entry.get()), "header");
  std::string block;
  for (uint64_t left = size; left > 0;) {
    block.resize(std::min<uint64_t>(left, 1 << 20));
    fill(block);
    const auto written = archive_write_data(writing, block.data(), block.size());
    if (written < 0) check(writing, ARCHIVE_FATAL, "data");
    left -= block.size();
  }
}

void add_text(archive* writing, const std::string& path, const std::string& text) {
  add_entry(writing, path, text.size(), [&](std::string& block) { block = text; });
}

void add_folder(archive* writing, const std::string& path) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), &archive_entry_free);
  archive_entry_set_pathname(entry.get(), path.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFDIR);
  archive_entry_set_perm(entry.get(), 0755);
  check(writing, archive_write_header(writing, entry.get()), "folder");
}

void close_writer(Writer& writing) { check(writing.get(), archive_write_close(writing.get()), "close"); }

// `size` bytes that compress well, or that gzip cannot shrink (xorshift).
Fill image_content(ImageData data, uint64_t seed) {
  if (data == ImageData::Compressible) {
    return [](std::string& block) {
      for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>('a' + (i / 512) % 26);
    };
  }
  auto state = std::make_shared<uint64_t>(seed * 0x9E3779B97F4A7C15ull + 1);
  return [state](std::string& block) {
    for (size_t i = 0; i < block.size(); i += 8) {
      *state ^= *state << 13;
      *state ^= *state >> 7;
      *state ^= *state << 17;
      for (size_t b = 0; b < 8 && i + b < block.size(); ++b) block[i + b] = static_cast<char>(*state >> (8 * b));
    }
  };
}

std::string with_line_ends(const std::string& text, bool crlf) {
  if (!crlf) return text;
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

bool script_has_arb(ArbStyle arb) {
  return arb == ArbStyle::Script || arb == ArbStyle::Both || arb == ArbStyle::Disagreeing;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

}  // namespace

std::string flash_script_text(const FastbootLayout& layout, bool bat, const std::string& last_line) {
  const std::string arb = std::to_string(layout.anti_rollback);
  std::string text;
  if (bat) {
    if (layout.commented_out_checks) {
      text += ":: fastboot %* getvar product 2>&1 | findstr /r /c:\"^product: *cepheus\" || exit /B 1\n";
      text += "rem set CURRENT_ANTI_VER=9\n";
    }
    std::string patterns;
    for (const auto& device : layout.devices) patterns += " /c:\"^product: *" + device + "\"";
    text += "fastboot %* getvar product 2>&1 | findstr /r" + patterns + " || echo Missmatching image and device\n";
    text += "fastboot %* getvar product 2>&1 | findstr /r" + patterns + " || exit /B 1\n";
    if (script_has_arb(layout.arb)) {
      text += "set CURRENT_ANTI_VER=" + arb + "\n";
      text += "for /f \"tokens=2 delims=: \" %%i in ('fastboot %* getvar anti 2^>^&1 ^| findstr /r /c:\"anti:\"') "
              "do (set version=%%i)\n";
      text += "if [%version%] EQU [] set version=0\n";
      text += "if %version% GTR %CURRENT_ANTI_VER% (echo Current device antirollback version is greater than this "
              "pakcage & exit /B 1)\n";
    }
    for (const auto& image : layout.images) {
      text += "fastboot %* flash " + image.substr(0, image.find('.')) + " %~dp0images\\" + image + "\n";
    }
  } else {
    if (layout.commented_out_checks) {
      text += "# fastboot $* getvar product 2>&1 | grep \"^product: *cepheus\"\n";
      text += "#CURRENT_ANTI_VER=9\n";
    }
    if (layout.devices.size() == 1) {
      text += "fastboot $* getvar product 2>&1 | grep \"^product: *" + layout.devices[0] + "\"\n";
    } else {
      text += "fastboot $* getvar product 2>&1 | grep -E \"^product: *(" + join(layout.devices, "|") + ")$\"\n";
    }
    text += "if [ $? -ne 0  ] ; then echo \"Missmatching image and device\"; exit 1; fi\n";
    if (script_has_arb(layout.arb)) {
      text += "CURRENT_ANTI_VER=" + arb + "\n";
      text += "ver_info=`fastboot $* getvar anti 2>&1 | grep anti: | awk '{print $2}'`\n";
      text += "if [ -z \"$ver_info\" ] ; then ver_info=0 ; fi\n";
      text += "if [ $ver_info -gt $CURRENT_ANTI_VER ] ; then echo \"Current device antirollback version is greater "
              "than this pakcage\"; exit 1; fi\n";
    }
    text += "fastboot $* flash crclist `dirname $0`/images/crclist.txt\n";
    for (const auto& image : layout.images) {
      text += "fastboot $* flash " + image.substr(0, image.find('.')) + " `dirname $0`/images/" + image + "\n";
    }
  }
  text += last_line + "\n";
  return with_line_ends(text, layout.crlf);
}

void make_fastboot_package(const std::filesystem::path& path, const FastbootLayout& layout) {
  Writer writing = open_writer(path, layout.gzip ? ArchiveFormat::TarGz : ArchiveFormat::Tar);
  archive* w = writing.get();
  const std::string top = layout.top_folder + "/";
  add_folder(w, top);
  add_folder(w, top + "images/");
  uint64_t seed = 1;
  for (const auto& image : layout.images) {
    add_entry(w, top + "images/" + image, layout.image_bytes, image_content(layout.image_data, seed++));
  }
  add_text(w, top + "images/crclist.txt", "boot.img 1a2b3c4d\n");
  if (layout.arb == ArbStyle::AntiVersionFile || layout.arb == ArbStyle::Both || layout.arb == ArbStyle::Disagreeing) {
    const int index = layout.anti_rollback + (layout.arb == ArbStyle::Disagreeing ? 1 : 0);
    add_text(w, top + "images/anti_version.txt", with_line_ends(std::to_string(index) + "\n", layout.crlf));
  }
  add_text(w, top + "misc.txt", "device=" + layout.devices.front() + "\n");
  std::vector<std::pair<std::string, std::string>> scripts = {{"flash_all", ""}, {"flash_all_except_storage", ""}};
  if (layout.lock_script) scripts.emplace_back("flash_all_lock", "oem lock");
  for (const auto& [name, ending] : scripts) {
    const std::string sh_last = ending.empty() ? "fastboot $* reboot" : "fastboot $* " + ending;
    add_text(w, top + name + ".sh", flash_script_text(layout, false, sh_last));
    if (layout.bat_scripts) {
      const std::string bat_last = ending.empty() ? "fastboot %* reboot" : "fastboot %* " + ending;
      add_text(w, top + name + ".bat", flash_script_text(layout, true, bat_last));
    }
  }
  close_writer(writing);
}

std::string ota_metadata_text(const OtaLayout& layout) {
  std::string text = "ota-required-cache=0\n";
  text += std::string("ota-type=") + (layout.ab ? "AB" : "BLOCK") + "\n";
  text += "post-build=" + layout.fingerprint + "\n";
  text += "post-build-incremental=" + layout.version + "\n";
  text += "post-sdk-level=28\npost-security-patch-level=2019-08-01\n";
  text += "post-timestamp=" + std::to_string(layout.timestamp) + "\n";
  if (layout.incremental) {
    text += "pre-build=" + layout.source_fingerprint + "\n";
    text += "pre-build-incremental=V10.3.5.0.PEAMIXM\n";
  }
  text += "pre-device=" + join(layout.devices, ",") + "\n";
  return text;
}

std::string ota_metadata_pb(const OtaLayout& layout) {
  ProtoWriter before, after, message;
  for (const auto& device : layout.devices) before.bytes(1, device);
  if (layout.incremental) before.bytes(2, layout.source_fingerprint).bytes(3, "V10.3.5.0.PEAMIXM");
  after.bytes(2, layout.fingerprint).bytes(3, layout.version).varint(4, static_cast<uint64_t>(layout.timestamp));
  after.bytes(5, "28").bytes(6, "2019-08-01");
  message.varint(1, layout.ab ? 1 : 2).bytes(5, before.data()).bytes(6, after.data());
  return message.data();
}

std::string updater_script_text(const OtaLayout& layout) {
  std::string checks;
  for (const auto& device : layout.devices) {
    checks += "getprop(\"ro.product.device\") == \"" + device + "\" || getprop(\"ro.build.product\") == \"" + device +
              "\" || ";
  }
  std::string text = "assert(" + checks + "abort(\"This package is for \\\"" + layout.devices.front() +
                     "\\\" devices; this is a \\\"\" + getprop(\"ro.product.device\") + \"\\\".\"););\n";
  text += "ui_print(\"Target: " + layout.fingerprint + "\");\n";
  if (layout.incremental) {
    text += "apply_patch_check(\"/system/app/Settings.apk\", \"0123456789abcdef0123456789abcdef01234567\") || "
            "abort(\"/system/app/Settings.apk has unexpected contents.\");\n";
  }
  text += "show_progress(0.750000, 0);\n";
  return text;
}

void make_ota_package(const std::filesystem::path& path, const OtaLayout& layout) {
  Writer writing = open_writer(path, ArchiveFormat::Zip);
  archive* w = writing.get();
  const auto style = layout.metadata;
  if (layout.ab) {
    add_entry(w, "payload.bin", layout.payload_bytes, image_content(ImageData::Incompressible, 7));
    add_text(w, "payload_properties.txt", "FILE_HASH=abc=\nFILE_SIZE=" + std::to_string(layout.payload_bytes) + "\n");
  } else {
    add_text(w, "system/build.prop", "ro.build.version.incremental=" + layout.version + "\n");
    add_entry(w, "boot.img", layout.payload_bytes, image_content(ImageData::Incompressible, 8));
    if (layout.incremental) add_text(w, "patch/system/app/Settings.apk.p", "BSDIFF40");
  }
  add_text(w, "META-INF/com/android/otacert", "-----BEGIN CERTIFICATE-----\n");
  if (style == OtaMetadataStyle::Text || style == OtaMetadataStyle::TextAndProtobuf) {
    add_text(w, "META-INF/com/android/metadata", ota_metadata_text(layout));
  }
  if (style == OtaMetadataStyle::Protobuf || style == OtaMetadataStyle::TextAndProtobuf) {
    add_text(w, "META-INF/com/android/metadata.pb", ota_metadata_pb(layout));
  }
  if (!layout.ab || style == OtaMetadataStyle::UpdaterScriptOnly) {
    add_text(w, "META-INF/com/google/android/update-binary",
             "\x7f"
             "ELF");
    add_text(w, "META-INF/com/google/android/updater-script", updater_script_text(layout));
  }
  close_writer(writing);
}

void make_archive(const std::filesystem::path& path, const std::vector<ArchiveEntry>& entries, ArchiveFormat format) {
  Writer writing = open_writer(path, format);
  for (const auto& entry : entries) add_text(writing.get(), entry.path, entry.content);
  close_writer(writing);
}

void make_archive_items(const std::filesystem::path& path, const std::vector<ArchiveItem>& items,
                        ArchiveFormat format) {
  Writer writing = open_writer(path, format);
  for (const auto& item : items) {
    if (item.type == EntryType::File) {
      add_text(writing.get(), item.path, item.content_or_target);
      continue;
    }
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), &archive_entry_free);
    archive_entry_set_pathname(entry.get(), item.path.c_str());
    if (item.type == EntryType::Symlink) {
      archive_entry_set_filetype(entry.get(), AE_IFLNK);
      archive_entry_set_symlink(entry.get(), item.content_or_target.c_str());
    } else {
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_set_hardlink(entry.get(), item.content_or_target.c_str());
    }
    archive_entry_set_perm(entry.get(), 0755);
    check(writing.get(), archive_write_header(writing.get(), entry.get()), "link");
  }
  close_writer(writing);
}

void make_plain_tgz(const std::filesystem::path& path) {
  make_archive(path,
               {{"project/README.md", "# A project\n"},
                {"project/src/main.c", "int main(void) { return 0; }\n"},
                {"project/images/logo.png", "\x89PNG"}},
               ArchiveFormat::TarGz);
}

void truncate_file(const std::filesystem::path& path, uint64_t size) { std::filesystem::resize_file(path, size); }

void flip_bytes(const std::filesystem::path& path, uint64_t offset, size_t count) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  std::string bytes(count, '\0');
  file.seekg(static_cast<std::streamoff>(offset));
  file.read(bytes.data(), static_cast<std::streamsize>(count));
  for (char& c : bytes) c = static_cast<char>(~c);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(bytes.data(), static_cast<std::streamsize>(count));
  if (!file) throw std::runtime_error("cannot flip bytes in " + path.string());
}

namespace {

void append_varint(std::string& out, uint64_t number) {
  while (number >= 0x80) {
    out += static_cast<char>((number & 0x7f) | 0x80);
    number >>= 7;
  }
  out += static_cast<char>(number);
}

}  // namespace

ProtoWriter& ProtoWriter::varint(uint32_t field, uint64_t value) {
  append_varint(data_, uint64_t{field} << 3);
  append_varint(data_, value);
  return *this;
}

ProtoWriter& ProtoWriter::bytes(uint32_t field, const std::string& value) {
  append_varint(data_, (uint64_t{field} << 3) | 2);
  append_varint(data_, value.size());
  data_ += value;
  return *this;
}

}  // namespace xfu::test

#include "support/download_fixture.hpp"

namespace xfu::test {

std::string one_record_catalog(const DownloadRecord& record, const std::string& filename, const std::string& link,
                               const std::vector<std::string>& mirrors, const std::string& md5) {
  // The record spans two lines, the second indented by six spaces.
  std::string text = R"([{"codename": ")" + record.codename + R"(", "device": ")" + record.device +
                     R"(", "version": ")" + record.version + "\",\n";
  text += R"(      "branch": "Stable", "type": "Recovery", "size": ")" + record.size +
          R"(", "date": "2026-01-02", "filename": ")" + filename + R"(", "link": ")" + link + "\"";
  if (record.with_mirrors) {
    std::string mirror_list;
    for (const auto& mirror : mirrors)
      mirror_list += std::string(mirror_list.empty() ? "" : ", ") + "\"" + mirror + "\"";
    text += R"(, "mirrors": [)" + mirror_list + "]";
  }
  return text + R"(, "md5": )" + (md5.empty() ? "null" : "\"" + md5 + "\"") + "}]";
}

RunResult DownloadFixture::run_download(const std::vector<std::string>& before_out,
                                        const std::vector<std::string>& after_out, double timeout_seconds) const {
  std::vector<std::string> args{"download"};
  args.insert(args.end(), before_out.begin(), before_out.end());
  args.insert(args.end(), {"-o", out.string()});
  args.insert(args.end(), after_out.begin(), after_out.end());
  return home.run(args, timeout_seconds);
}

bool DownloadFixture::leftovers() const {
  for (const auto& entry : std::filesystem::directory_iterator(out))
    if (entry.path().filename() != name) return true;
  return false;
}

void ServedDownloadFixture::SetUp() {
  DownloadFixture::SetUp();
  write_pattern_file(server.root() / name, size);
  md5 = md5sum_of(server.root() / name);
  write_catalog(server.url(name), {}, md5);
}

void ServedDownloadFixture::write_catalog(const std::string& link, const std::vector<std::string>& mirrors,
                                          const std::string& md5_value) {
  write_text(home.root() / "catalog.json", one_record_catalog(catalog_record, name, link, mirrors, md5_value));
  home.env["XFU_CATALOG"] = (home.root() / "catalog.json").string();
}

}  // namespace xfu::test

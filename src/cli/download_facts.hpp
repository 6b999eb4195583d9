// A package's facts, read from a download's own in-order bytes as they are hashed: no second pass over the file.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "download/download.hpp"
#include "package/package_facts.hpp"
#include "package/package_reader.hpp"

namespace xfu {

class DownloadFacts {
 public:
  explicit DownloadFacts(const std::string& filename);
  // What the download hands its bytes to; empty for a zip, whose facts are at its end (central directory).
  InOrderBytes tap();
  // After the download: the facts, or nothing with `problem` set. A zip is read here, through its directory.
  std::optional<PackageFacts> finish(const DownloadResult& result, std::string& problem);

 private:
  std::unique_ptr<StreamInspector> inspector_;  // none for a zip
};

}  // namespace xfu

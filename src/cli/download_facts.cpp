#include "cli/download_facts.hpp"

#include <atomic>

#include "core/exit_code.hpp"
#include "util/strings.hpp"

namespace xfu {

DownloadFacts::DownloadFacts(const std::string& filename) {
  if (!to_lower(filename).ends_with(".zip")) inspector_ = std::make_unique<StreamInspector>();
}

InOrderBytes DownloadFacts::tap() {
  if (!inspector_) return {};
  return
      [inspector = inspector_.get()](uint64_t offset, std::span<const char> bytes) { inspector->feed(offset, bytes); };
}

std::optional<PackageFacts> DownloadFacts::finish(const DownloadResult& result, std::string& problem) {
  if (!inspector_) {
    static const std::atomic<bool> never_interrupted{false};
    try {
      return inspect_package(result.path, never_interrupted);
    } catch (const Error& e) {
      problem = e.what();
      return std::nullopt;
    }
  }
  std::optional<PackageFacts> facts = inspector_->finish(result.size);
  if (!facts) problem = inspector_->problem();
  return facts;
}

}  // namespace xfu

#include "download/mirror_pool.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace xfu {

namespace {

constexpr double kSmoothing = 0.5;  // the weight of the newest window

}  // namespace

bool several_origins(const std::vector<std::string>& urls) {
  std::set<std::string> origins;
  for (const auto& url : urls) origins.insert(url_origin(url));
  return origins.size() > 1;
}

MirrorPool::MirrorPool(const std::vector<std::string>& urls) {
  for (const auto& url : urls) {
    Mirror mirror;
    mirror.url = url;
    mirror.name = url_origin(url);
    mirrors_.push_back(std::move(mirror));
  }
}

std::optional<size_t> MirrorPool::pick(int64_t now_ms) const {
  for (size_t i = 0; i < mirrors_.size(); ++i)
    if (mirrors_[i].state == MirrorState::Untried && mirrors_[i].active == 0 && mirrors_[i].not_before <= now_ms)
      return i;
  std::optional<size_t> best;
  // Not measured yet: last, and no second connection before its first shows its speed.
  const auto rank = [](const Mirror& m) { return m.measured ? m.per_connection : -1.0; };
  for (size_t i = 0; i < mirrors_.size(); ++i) {
    const Mirror& m = mirrors_[i];
    if (m.state != MirrorState::Serving || m.active >= m.cap || m.not_before > now_ms || too_slow(i)) continue;
    if (!m.measured && m.active > 0) continue;
    if (!best || rank(m) > rank(mirrors_[*best])) best = i;
  }
  return best;
}

void MirrorPool::stopped(size_t index) {
  Mirror& m = mirrors_[index];
  if (m.active > 0) --m.active;
}

void MirrorPool::serving(size_t index) {
  Mirror& m = mirrors_[index];
  if (m.state == MirrorState::Untried) m.state = MirrorState::Serving;
}

void MirrorPool::received(size_t index, uint64_t bytes, int64_t now_ms) {
  Mirror& m = mirrors_[index];
  m.bytes += bytes;
  if (m.window_start < 0) m.window_start = now_ms;
  m.window_bytes += bytes;
}

void MirrorPool::measure(int64_t now_ms) {
  for (Mirror& m : mirrors_) {
    if (m.window_start < 0 || now_ms - m.window_start < kRateWindowMs) continue;
    const double seconds = static_cast<double>(now_ms - m.window_start) / 1000.0;
    const double rate = static_cast<double>(m.window_bytes) / seconds;
    const double per_connection = rate / std::max(1, m.active);
    m.rate = m.measured ? kSmoothing * rate + (1 - kSmoothing) * m.rate : rate;
    m.per_connection = m.measured ? kSmoothing * per_connection + (1 - kSmoothing) * m.per_connection : per_connection;
    m.measured = true;
    m.window_bytes = 0;
    // A mirror without connections starts its next window with its next bytes.
    m.window_start = m.active > 0 ? now_ms : -1;
  }
}

double MirrorPool::best_other(size_t index) const {
  double best = 0;
  for (size_t i = 0; i < mirrors_.size(); ++i)
    if (i != index && mirrors_[i].state == MirrorState::Serving && mirrors_[i].measured)
      best = std::max(best, mirrors_[i].per_connection);
  return best;
}

bool MirrorPool::too_slow(size_t index) const {
  const Mirror& m = mirrors_[index];
  return m.measured && best_other(index) > kSlowFactor * m.per_connection;
}

uint64_t MirrorPool::keep_when_cut(size_t index, uint64_t at_least) const {
  return std::max(at_least, static_cast<uint64_t>(mirrors_[index].per_connection));
}

void MirrorPool::kill(size_t index, std::string why) {
  Mirror& m = mirrors_[index];
  if (m.state == MirrorState::Dead) return;
  m.state = MirrorState::Dead;
  m.why_dead = std::move(why);
}

void MirrorPool::lower_cap(size_t index, int cap) { mirrors_[index].cap = std::max(1, cap); }

bool MirrorPool::all_dead() const {
  return std::all_of(mirrors_.begin(), mirrors_.end(), [](const Mirror& m) { return m.state == MirrorState::Dead; });
}

std::vector<MirrorFailure> MirrorPool::failures() const {
  std::vector<MirrorFailure> list;
  for (const Mirror& m : mirrors_)
    if (m.state == MirrorState::Dead) list.push_back({m.name, m.why_dead.empty() ? "failed" : m.why_dead});
  return list;
}

std::vector<MirrorRate> MirrorPool::rates() const {
  std::vector<MirrorRate> list;
  for (const Mirror& m : mirrors_) list.push_back({m.name, m.bytes, m.rate});
  return list;
}

std::optional<size_t> MirrorPool::find(std::string_view url) const {
  for (size_t i = 0; i < mirrors_.size(); ++i)
    if (mirrors_[i].url == url) return i;
  return std::nullopt;
}

std::vector<std::string> culprit_notes(const std::vector<RangeSource>& ranges, size_t shown) {
  std::vector<std::string> hosts;
  std::vector<std::vector<const RangeSource*>> differing;
  for (const RangeSource& range : ranges) {
    if (range.mixed_md5 == range.verified_md5) continue;
    auto at = std::find(hosts.begin(), hosts.end(), range.host);
    if (at == hosts.end()) {
      hosts.push_back(range.host);
      differing.emplace_back();
      at = hosts.end() - 1;
    }
    differing[static_cast<size_t>(at - hosts.begin())].push_back(&range);
  }
  std::vector<std::string> notes;
  for (size_t i = 0; i < hosts.size(); ++i) {
    std::string list;
    for (size_t j = 0; j < differing[i].size() && j < shown; ++j)
      list += (j ? ", " : "") + std::to_string(differing[i][j]->start) + "-" + std::to_string(differing[i][j]->end - 1);
    if (const size_t more = differing[i].size() - std::min(shown, differing[i].size()); more)
      list += " and " + std::to_string(more) + (more == 1 ? " more range" : " more ranges");
    notes.push_back("bytes " + list + " from " + hosts[i] + " did not match the file");
  }
  return notes;
}

}  // namespace xfu

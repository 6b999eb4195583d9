// Running the real xfu binary and the local test server from GoogleTest.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace xfu::test {

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
  double seconds = 0;
};

// A scratch directory that is removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs `argv` with exactly `env`, feeding nothing on stdin, and kills it
// after `timeout_seconds` (the result then has exit_code 128 + SIGKILL).
RunResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                      double timeout_seconds = 60);

// A process running in the background, its output collected in files.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);
  ~BackgroundProcess();
  void signal(int number) const;
  // Waits at most `timeout_seconds` (then kills it) and returns what it did.
  RunResult wait(double timeout_seconds = 60);

 private:
  TempDir dir_;
  int pid_ = -1;
  double started_ = 0;
};

// An isolated home for xfu: HOME, XDG_CACHE_HOME and XDG_CONFIG_HOME point
// into a fresh directory, and nothing of the caller's environment leaks in.
class XfuHome {
 public:
  XfuHome();
  std::map<std::string, std::string> env;
  std::filesystem::path cache_dir() const { return dir_.path() / "cache" / "xfu"; }
  std::filesystem::path config_dir() const { return dir_.path() / "config" / "xfu"; }
  const std::filesystem::path& root() const { return dir_.path(); }

  RunResult run(const std::vector<std::string>& args, double timeout_seconds = 60) const;
  std::unique_ptr<BackgroundProcess> start(const std::vector<std::string>& args) const;

 private:
  TempDir dir_;
};

// The fault-injecting HTTP server (tests/server/xfu_test_server.py) on
// 127.0.0.1, serving the files of root().
class TestServer {
 public:
  TestServer();
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  const std::filesystem::path& root() const { return root_.path(); }
  std::string url(const std::string& path) const;  // path without the leading '/'
  // The requests the server has seen, as JSON text.
  std::string log() const;
  void reset_log() const;
  // Stops the server; its port then refuses connections.
  void stop();

 private:
  TempDir root_;
  TempDir state_;
  int pid_ = -1;
  int port_ = 0;
};

// A real nginx on 127.0.0.1 serving the files of root().
class Nginx {
 public:
  // With `certificate` and `key` (PEM files), it serves HTTPS instead;
  // `directives` go into its server block ("limit_rate 16m;").
  explicit Nginx(const std::filesystem::path& certificate = {}, const std::filesystem::path& key = {},
                 const std::string& directives = {});
  ~Nginx();
  const std::filesystem::path& root() const { return root_.path(); }
  std::string url(const std::string& path) const;
  std::string access_log() const;

 private:
  TempDir root_;
  TempDir state_;
  int pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
};

// A self-signed certificate and its key, for `names` ("DNS:localhost",
// "IP:127.0.0.1"), made with the openssl command.
struct Certificate {
  std::filesystem::path certificate, key;
};
Certificate make_certificate(const std::filesystem::path& dir, const std::string& common_name,
                             const std::string& subject_alt_names);

void write_text(const std::filesystem::path& path, const std::string& text);
std::string read_text(const std::filesystem::path& path);
// The MD5 of a file, as the real md5sum computes it.
std::string md5sum_of(const std::filesystem::path& path);
// Writes `size` bytes of a pattern that does not repeat within a chunk, so a
// byte written at the wrong offset changes the MD5.
void write_pattern_file(const std::filesystem::path& path, size_t size);

// How many times `what` occurs in `text` (overlaps included).
size_t count_of(const std::string& text, const std::string& what);

// `text` cut at each '\n', without the breaks; a last line without one counts too.
std::vector<std::string> lines_of(const std::string& text);

// The title and the lines inside each card's box of `out`, without borders and trailing blanks; "--" ends a card.
std::vector<std::string> card_contents(const std::string& out);

// The source tree's tests/fixtures/NAME.
std::filesystem::path fixture(const std::string& name);

}  // namespace xfu::test

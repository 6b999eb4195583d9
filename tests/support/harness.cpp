#include "support/harness.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace xfu::test {

namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

int spawn(std::vector<std::string> argv, const std::map<std::string, std::string>& env, int out_fd, int err_fd) {
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env_strings);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  if (err_fd >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "xfu-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code error;
  std::filesystem::remove_all(path_, error);
}

RunResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                      double timeout_seconds) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  const auto start = std::chrono::steady_clock::now();
  const int pid = spawn(argv, env, out_pipe[1], err_pipe[1]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  RunResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  bool killed = false;
  while (open_count > 0) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > timeout_seconds && !killed) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    if (::poll(fds, 2, 100) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[65536];
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(got));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

namespace {
double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& env) {
  const int out = ::open((dir_.path() / "out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  const int err = ::open((dir_.path() / "err").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  started_ = now_seconds();
  pid_ = spawn(argv, env, out, err);
  ::close(out);
  ::close(err);
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

void BackgroundProcess::signal(int number) const { ::kill(pid_, number); }

RunResult BackgroundProcess::wait(double timeout_seconds) {
  RunResult result;
  const double waiting_since = now_seconds();
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (now_seconds() - waiting_since > timeout_seconds) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  result.seconds = now_seconds() - waiting_since;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(dir_.path() / "out");
  result.err = read_text(dir_.path() / "err");
  return result;
}

std::unique_ptr<BackgroundProcess> XfuHome::start(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{XFU_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<BackgroundProcess>(argv, env);
}

XfuHome::XfuHome() {
  env = {{"HOME", dir_.path().string()},
         {"XDG_CACHE_HOME", (dir_.path() / "cache").string()},
         {"XDG_CONFIG_HOME", (dir_.path() / "config").string()},
         {"PATH", "/usr/bin:/bin"},
         {"LANG", "C.UTF-8"},
         {"TZ", "UTC"}};
}

RunResult XfuHome::run(const std::vector<std::string>& args, double timeout_seconds) const {
  std::vector<std::string> argv{XFU_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env, timeout_seconds);
}

TestServer::TestServer() {
  const auto port_file = state_.path() / "port";
  const std::vector<std::string> argv{"/usr/bin/python3", XFU_TEST_SERVER,    "--root",     root_.path().string(),
                                      "--port-file",      port_file.string(), "--lifetime", "900"};
  pid_ = spawn(argv, {{"PATH", "/usr/bin:/bin"}}, -1, -1);
  for (int i = 0; i < 200 && !std::filesystem::exists(port_file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  if (!std::filesystem::exists(port_file)) throw std::runtime_error("the test server did not start");
  port_ = std::stoi(read_text(port_file));
}

TestServer::~TestServer() { stop(); }

void TestServer::stop() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string TestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + path;
}

std::string TestServer::log() const {
  const auto result = run_process({"/usr/bin/curl", "-sS", url("_log")}, {});
  return result.out;
}

void TestServer::reset_log() const { run_process({"/usr/bin/curl", "-sS", url("_reset")}, {}); }

namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool port_open(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return open;
}

}  // namespace

Nginx::Nginx(const std::filesystem::path& certificate, const std::filesystem::path& key, const std::string& directives)
    : tls_(!certificate.empty()) {
  const auto dir = state_.path();
  std::filesystem::create_directories(dir / "temp");
  port_ = free_port();
  const std::string temp = (dir / "temp").string();
  write_text(dir / "nginx.conf",
             "user root root;\nworker_processes 1;\ndaemon off;\nerror_log " + (dir / "error.log").string() +
                 ";\npid " + (dir / "nginx.pid").string() +
                 ";\nevents { worker_connections 64; }\nhttp {\n"
                 "  access_log " +
                 (dir / "access.log").string() + ";\n  client_body_temp_path " + temp +
                 "/body;\n"
                 "  proxy_temp_path " +
                 temp + "/proxy;\n  fastcgi_temp_path " + temp +
                 "/fastcgi;\n"
                 "  uwsgi_temp_path " +
                 temp + "/uwsgi;\n  scgi_temp_path " + temp +
                 "/scgi;\n"
                 "  server { listen 127.0.0.1:" +
                 std::to_string(port_) + (tls_ ? " ssl" : "") + "; root " + root_.path().string() + ";" +
                 (tls_ ? " ssl_certificate " + certificate.string() + "; ssl_certificate_key " + key.string() + ";"
                       : "") +
                 " " + directives + " }\n}\n");
  pid_ = spawn({"/usr/sbin/nginx", "-p", dir.string(), "-c", (dir / "nginx.conf").string()},
               {{"PATH", "/usr/bin:/bin"}}, -1, -1);
  for (int i = 0; i < 200 && !port_open(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  if (!port_open(port_)) throw std::runtime_error("nginx did not start: " + read_text(dir / "error.log"));
}

Nginx::~Nginx() {
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
}

std::string Nginx::url(const std::string& path) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + "/" + path;
}

Certificate make_certificate(const std::filesystem::path& dir, const std::string& common_name,
                             const std::string& subject_alt_names) {
  Certificate files{dir / (common_name + ".pem"), dir / (common_name + ".key")};
  const RunResult made = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                      "-subj", "/CN=" + common_name, "-addext", "subjectAltName=" + subject_alt_names,
                                      "-keyout", files.key.string(), "-out", files.certificate.string()},
                                     {{"PATH", "/usr/bin:/bin"}});
  if (made.exit_code != 0) throw std::runtime_error("openssl req failed: " + made.err);
  return files;
}

std::string Nginx::access_log() const { return read_text(state_.path() / "access.log"); }

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  if (!file) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

void write_pattern_file(const std::filesystem::path& path, size_t size) {
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  write_text(path, data);
}

std::string md5sum_of(const std::filesystem::path& path) {
  return run_process({"/usr/bin/md5sum", path.string()}, {}).out.substr(0, 32);
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = text.find('\n', pos);
    lines.push_back(text.substr(pos, end - pos));
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

std::vector<std::string> card_contents(const std::string& out) {
  std::vector<std::string> lines;
  for (const std::string& line : lines_of(out)) {
    if (line.starts_with("\u2570")) lines.push_back("--");
    if (line.starts_with("\u256D")) lines.push_back(line.substr(0, line.find(" \u2500\u2500")));
    if (!line.starts_with("\u2502 ")) continue;
    std::string inner = line.substr(4);  // "│ " (│ is 3 bytes)
    // A value that is never cut (a fingerprint, an MD5) runs past the right border.
    if (inner.ends_with(" \u2502")) inner.resize(inner.size() - 4);
    inner.erase(inner.find_last_not_of(' ') + 1);
    lines.push_back(inner);
  }
  return lines;
}

std::filesystem::path fixture(const std::string& name) { return std::filesystem::path(XFU_FIXTURES) / name; }

}  // namespace xfu::test

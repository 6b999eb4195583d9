// Message digests through OpenSSL's EVP interface, streamed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace xfu {

enum class DigestKind { Md5, Sha256 };

class Digest {
 public:
  explicit Digest(DigestKind kind);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lower-case hex of the digest; the object can then be reused.
  std::string finish_hex();

 private:
  DigestKind kind_;
  EVP_MD_CTX* context_;
  void start();
};

std::string sha256_hex(std::string_view data);
std::string md5_hex(std::string_view data);

// True for 32 hex digits (either case): how an MD5 is written.
bool is_md5_hex(std::string_view text);

}  // namespace xfu

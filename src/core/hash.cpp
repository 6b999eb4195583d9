#include "core/hash.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "util/strings.hpp"

namespace xfu {

namespace {

const EVP_MD* algorithm(DigestKind kind) { return kind == DigestKind::Md5 ? EVP_md5() : EVP_sha256(); }

}  // namespace

Digest::Digest(DigestKind kind) : kind_(kind), context_(EVP_MD_CTX_new()) {
  if (!context_) throw std::bad_alloc();
  start();
}

Digest::~Digest() { EVP_MD_CTX_free(context_); }

void Digest::start() {
  if (EVP_DigestInit_ex(context_, algorithm(kind_), nullptr) != 1)
    throw std::runtime_error("OpenSSL cannot start a digest");
}

void Digest::update(const void* data, size_t size) {
  if (EVP_DigestUpdate(context_, data, size) != 1) throw std::runtime_error("OpenSSL digest update failed");
}

std::string Digest::finish_hex() {
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_, raw, &length) != 1) throw std::runtime_error("OpenSSL digest failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[raw[i] >> 4];
    out += hex[raw[i] & 15];
  }
  start();
  return out;
}

std::string sha256_hex(std::string_view data) {
  Digest digest(DigestKind::Sha256);
  digest.update(data);
  return digest.finish_hex();
}

std::string md5_hex(std::string_view data) {
  Digest digest(DigestKind::Md5);
  digest.update(data);
  return digest.finish_hex();
}

bool is_md5_hex(std::string_view text) { return text.size() == 32 && is_hex(text); }

}  // namespace xfu

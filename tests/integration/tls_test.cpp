// HTTPS: certificates are verified, a private CA is trusted only when asked,
// and a certificate for another host name is refused.
#include <gtest/gtest.h>

#include "support/download_fixture.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;

class Tls : public DownloadFixture {
 protected:
  Tls() : DownloadFixture("rom.zip") {}

  TempDir keys;

  void SetUp() override {
    DownloadFixture::SetUp();
    home.env["XFU_CATALOG"] = "builtin";
  }

  void serve(Nginx& nginx) {
    write_text(nginx.root() / name, std::string(100000, 'r'));
    md5 = md5sum_of(nginx.root() / name);
  }

  RunResult download(Nginx& nginx, std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--retries", "0"});
    return run_download({nginx.url(name), "--md5", md5}, extra);
  }
};

TEST_F(Tls, ASelfSignedCertificateIsRefusedByDefault) {
  const Certificate local = make_certificate(keys.path(), "localhost", "DNS:localhost,IP:127.0.0.1");
  Nginx nginx(local.certificate, local.key);
  serve(nginx);
  const RunResult refused = download(nginx);
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_NE(refused.err.find("SSL certificate problem: self-signed certificate"), std::string::npos) << refused.err;
  EXPECT_TRUE(fs::is_empty(out));
  const RunResult catalog = home.run({"--catalog", nginx.url("catalog.json"), "catalog", "update"});
  EXPECT_EQ(catalog.exit_code, 4);
  EXPECT_NE(catalog.err.find("self-signed certificate"), std::string::npos) << catalog.err;
}

TEST_F(Tls, APrivateCaIsTrustedWhenAskedFor) {
  const Certificate local = make_certificate(keys.path(), "localhost", "DNS:localhost,IP:127.0.0.1");
  Nginx nginx(local.certificate, local.key);
  serve(nginx);
  const RunResult flag = download(nginx, {"--ca-file", local.certificate.string()});
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
  fs::remove(out / name);
  home.env["SSL_CERT_FILE"] = local.certificate.string();
  EXPECT_EQ(download(nginx).exit_code, 0);
  fs::remove(out / name);
  home.env.erase("SSL_CERT_FILE");
  home.env["CURL_CA_BUNDLE"] = local.certificate.string();
  EXPECT_EQ(download(nginx).exit_code, 0);
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(Tls, ACertificateForAnotherHostIsRefused) {
  const Certificate other = make_certificate(keys.path(), "wrong.example", "DNS:wrong.example");
  Nginx nginx(other.certificate, other.key);
  serve(nginx);
  const RunResult result = download(nginx, {"--ca-file", other.certificate.string()});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("no alternative certificate subject name matches target host name '127.0.0.1'"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(fs::is_empty(out));
}

}  // namespace
}  // namespace xfu::test

#include "federation/peer_tls.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <map>
#include <string>

namespace wahana {
namespace {

class PeerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/wahana-peer-tls-XXXXXX";
    dir_ = mkdtemp(dir_template);
    const std::string make_cert =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=peer-tls-test -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem 2>/dev/null";
    ASSERT_EQ(system(make_cert.c_str()), 0);
    std::ofstream(dir_ + "/not_pem.txt") << "no certificate here";
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  absl::StatusOr<PeerTls> Read(std::map<std::string, std::string> env) {
    EnvReader reader([env](const char* name) -> const char* {
      auto found = env.find(name);
      return found == env.end() ? nullptr : found->second.c_str();
    });
    absl::StatusOr<PeerTls> tls = ReadPeerTls(reader, "127.0.0.1");
    EXPECT_TRUE(reader.Finish().ok());
    return tls;
  }

  std::string dir_;
};

TEST_F(PeerTlsTest, NothingSetMeansPlainCallsAndNoTlsPort) {
  absl::StatusOr<PeerTls> tls = Read({});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_TRUE(tls->listen_address.empty());
  EXPECT_EQ(tls->server, nullptr);
  EXPECT_NE(tls->client, nullptr);
}

TEST_F(PeerTlsTest, APortWithItsCertificateListensAndACaMakesCallsTls) {
  absl::StatusOr<PeerTls> tls = Read({{"WAHANA_FEDERATION_TLS_PORT", "20056"},
                                      {"WAHANA_FEDERATION_TLS_CERT_FILE", dir_ + "/cert.pem"},
                                      {"WAHANA_FEDERATION_TLS_KEY_FILE", dir_ + "/key.pem"},
                                      {"WAHANA_FEDERATION_TLS_CA_FILE", dir_ + "/cert.pem"}});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_EQ(tls->listen_address, "127.0.0.1:20056");
  EXPECT_NE(tls->server, nullptr);
}

TEST_F(PeerTlsTest, HalfASettingOrAFileThatIsNotPemIsRefusedNamingIt) {
  absl::StatusOr<PeerTls> port_only = Read({{"WAHANA_FEDERATION_TLS_PORT", "20056"}});
  EXPECT_EQ(port_only.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(port_only.status().message().find("WAHANA_FEDERATION_TLS_CERT_FILE"),
            std::string::npos);
  absl::StatusOr<PeerTls> cert_only =
      Read({{"WAHANA_FEDERATION_TLS_CERT_FILE", dir_ + "/cert.pem"}});
  EXPECT_EQ(cert_only.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<PeerTls> bad_ca = Read({{"WAHANA_FEDERATION_TLS_CA_FILE", dir_ + "/not_pem.txt"}});
  EXPECT_EQ(bad_ca.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_ca.status().message().find("WAHANA_FEDERATION_TLS_CA_FILE"), std::string::npos);
  absl::StatusOr<PeerTls> missing_key =
      Read({{"WAHANA_FEDERATION_TLS_PORT", "20056"},
            {"WAHANA_FEDERATION_TLS_CERT_FILE", dir_ + "/cert.pem"},
            {"WAHANA_FEDERATION_TLS_KEY_FILE", dir_ + "/nope.pem"}});
  EXPECT_EQ(missing_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing_key.status().message().find("WAHANA_FEDERATION_TLS_KEY_FILE"),
            std::string::npos);
}

}  // namespace
}  // namespace wahana

#include "common/crypto/ed25519_key.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"

namespace wahana {
namespace {

// RFC 8032 section 7.1, TEST 1: this secret key, its public key, and its signature of the empty
// message. RFC 8037 appendix A uses the same key for its JWK and thumbprint examples.
constexpr char kRfcPrivatePem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kRfcPublicHex[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr char kRfcSignatureHex[] =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
    "6bd25bf5f0595bbe24655141438e7a100b";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/ed25519_key_test_" + std::to_string(::getpid()) + "_" + name;
}

TEST(Ed25519KeyTest, SignsTheRfc8032TestVector) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(kRfcPrivatePem);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(absl::BytesToHexString(key->PublicKey().Raw()), kRfcPublicHex);
  const std::string signature = key->Sign("");
  EXPECT_EQ(absl::BytesToHexString(signature), kRfcSignatureHex);
  EXPECT_TRUE(key->PublicKey().Verify("", signature));
}

TEST(Ed25519KeyTest, JwkAndKeyIdAreRfc8037s) {
  absl::StatusOr<Ed25519PublicKey> key =
      Ed25519PublicKey::FromRaw(absl::HexStringToBytes(kRfcPublicHex));
  ASSERT_TRUE(key.ok()) << key.status();
  // RFC 8037 A.3's thumbprint of this key.
  EXPECT_EQ(key->KeyId(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  nlohmann::json jwk = nlohmann::json::parse(key->Jwk("checkin-1"));
  EXPECT_EQ(jwk, nlohmann::json::parse(R"({"kty":"OKP","crv":"Ed25519",
      "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"checkin-1","use":"sig",
      "alg":"EdDSA"})"));
  // The kid is JSON text, not pasted in.
  EXPECT_EQ(nlohmann::json::parse(key->Jwk("a\"b"))["kid"], "a\"b");
}

TEST(Ed25519KeyTest, LoadsAKeyFileTheOpensslToolMade) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl tool";
  const std::string key_path = TempPath("key.pem");
  const std::string public_path = TempPath("public.der");
  ASSERT_EQ(
      std::system(("openssl genpkey -algorithm ed25519 -out " + key_path + " && openssl pkey -in " +
                   key_path + " -pubout -outform DER -out " + public_path)
                      .c_str()),
      0);
  absl::StatusOr<Ed25519PrivateKey> key =
      Ed25519PrivateKey::FromPemFile(key_path, "WAHANA_CHECKIN_KEY_FILE");
  ASSERT_TRUE(key.ok()) << key.status();
  // SubjectPublicKeyInfo DER ends with the 32 raw bytes.
  const std::string der = ReadFile(public_path);
  ASSERT_GT(der.size(), 32u);
  EXPECT_EQ(key->PublicKey().Raw(), der.substr(der.size() - 32));
  std::remove(key_path.c_str());
  std::remove(public_path.c_str());
}

TEST(Ed25519KeyTest, PemRoundTripsForBothHalves) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(absl::StartsWith(key->PemOf(), "-----BEGIN PRIVATE KEY-----"));
  absl::StatusOr<Ed25519PrivateKey> reread = Ed25519PrivateKey::FromPem(key->PemOf());
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->PublicKey().Raw(), key->PublicKey().Raw());
  EXPECT_EQ(key->PublicKey().Raw().size(), Ed25519PublicKey::kRawSize);

  absl::StatusOr<Ed25519PublicKey> public_key = Ed25519PublicKey::FromPem(key->PublicKey().PemOf());
  ASSERT_TRUE(public_key.ok()) << public_key.status();
  EXPECT_TRUE(public_key->Verify("m", key->Sign("m")));

  const std::string public_path = TempPath("public.pem");
  {
    std::ofstream out(public_path);
    out << key->PublicKey().PemOf();
  }
  absl::StatusOr<Ed25519PublicKey> from_file = Ed25519PublicKey::FromPemFile(public_path);
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(from_file->Raw(), key->PublicKey().Raw());
  std::remove(public_path.c_str());
}

TEST(Ed25519KeyTest, VerifyRefusesWhatTheKeyDidNotSign) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  absl::StatusOr<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok() && other.ok());
  const std::string signature = key->Sign("check in 42");
  ASSERT_EQ(signature.size(), Ed25519PublicKey::kSignatureSize);
  EXPECT_TRUE(key->PublicKey().Verify("check in 42", signature));
  EXPECT_FALSE(key->PublicKey().Verify("check in 43", signature));
  EXPECT_FALSE(other->PublicKey().Verify("check in 42", signature));
  EXPECT_FALSE(key->PublicKey().Verify("check in 42", signature.substr(1)));
  EXPECT_FALSE(key->PublicKey().Verify("check in 42", ""));
  std::string altered = signature;
  altered[10] ^= 1;
  EXPECT_FALSE(key->PublicKey().Verify("check in 42", altered));
}

TEST(Ed25519KeyTest, ErrorsNameTheField) {
  absl::StatusOr<Ed25519PrivateKey> missing =
      Ed25519PrivateKey::FromPemFile("/nonexistent/key.pem", "WAHANA_CHECKIN_KEY_FILE");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(),
            "WAHANA_CHECKIN_KEY_FILE: cannot read /nonexistent/key.pem");
  EXPECT_EQ(
      Ed25519PublicKey::FromPemFile("/nonexistent/public.pem", "WAHANA_PROVINCE_PUBLIC_KEY_FILE")
          .status()
          .message(),
      "WAHANA_PROVINCE_PUBLIC_KEY_FILE: cannot read /nonexistent/public.pem");

  EXPECT_EQ(Ed25519PrivateKey::FromPem("garbage", "WAHANA_CHECKIN_KEY_FILE").status().message(),
            "WAHANA_CHECKIN_KEY_FILE: not an Ed25519 private key");

  // A P-256 key is a private key, but not an Ed25519 one.
  EVP_PKEY* ec = EVP_EC_gen("P-256");
  ASSERT_NE(ec, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long ec_size = BIO_get_mem_data(bio, &data);
  const std::string ec_pem(data, ec_size);
  BIO_free(bio);
  EVP_PKEY_free(ec);
  EXPECT_EQ(Ed25519PrivateKey::FromPem(ec_pem, "key").status().message(),
            "key: not an Ed25519 private key");

  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(kRfcPrivatePem);
  ASSERT_TRUE(key.ok());
  // Each half where the other is expected.
  EXPECT_EQ(Ed25519PrivateKey::FromPem(key->PublicKey().PemOf(), "key").status().message(),
            "key: not an Ed25519 private key");
  EXPECT_EQ(Ed25519PublicKey::FromPem(key->PemOf(), "jwk").status().message(),
            "jwk: not an Ed25519 public key");
  EXPECT_EQ(Ed25519PublicKey::FromRaw("short", "x").status().message(),
            "x: an Ed25519 public key is 32 bytes, not 5");
}

TEST(Ed25519KeyTest, AnEncryptedKeyIsRefusedWithoutAskingForAPassphrase) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(kRfcPrivatePem);
  ASSERT_TRUE(key.ok());
  BIO* in = BIO_new_mem_buf(kRfcPrivatePem, -1);
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  ASSERT_NE(raw, nullptr);
  BIO* out = BIO_new(BIO_s_mem());
  char passphrase[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(out, raw, EVP_aes_256_cbc(), passphrase,
                                          sizeof(passphrase) - 1, nullptr, nullptr),
            1);
  char* data = nullptr;
  const long encrypted_size = BIO_get_mem_data(out, &data);
  const std::string encrypted(data, encrypted_size);
  BIO_free(out);
  EVP_PKEY_free(raw);
  ASSERT_TRUE(absl::StrContains(encrypted, "ENCRYPTED PRIVATE KEY"));
  EXPECT_EQ(Ed25519PrivateKey::FromPem(encrypted, "key").status().message(),
            "key: not an Ed25519 private key");
}

TEST(Ed25519KeyTest, CopiesSignAndVerifyFromManyThreads) {
  absl::StatusOr<Ed25519PrivateKey> generated = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(generated.ok());
  const Ed25519PrivateKey key = *generated;  // a copy shares the OpenSSL key
  const Ed25519PublicKey public_key = key.PublicKey();
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string message = std::to_string(t * 1000 + i);
        if (!public_key.Verify(message, key.Sign(message))) ++failures[t];
        if (public_key.Verify(message + "x", key.Sign(message))) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace wahana

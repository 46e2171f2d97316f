#include "support/test_auth.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "common/auth/bearer_channel.h"
#include "common/auth/call_authenticator.h"
#include "common/crypto/ed25519_key.h"

namespace wahana::testing {

// Made once with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`; tests only.
const char kTestTokenSigningKeyPem[] = R"(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCcP5/YNq7Bnx6r
JbOoW8LYCf8DZl20T2vP6wMO46izU89c4UZSs3GdNHdnuA/JzD9TPhDs4dy2uhNx
K4UL94dpTG8GuzUIZXTzAS5rccOBHm/G7pntnxGE+vcM/CX+4ebfIesbARf2ibBT
eW8FRcyCrO6LukfWGUknY5AcFP2pQGQsAWmmp+dXzVvySFjBoYE8EZLZ43SC2TsZ
0OLdN3H/WgxBpgOwOHfvEeTeNc5XvpvqzRfIsR2VKyPMubvEdSH1SjVMDYnAga1b
2lC+12vQjxCwEml8HUmlGNxIvUpVS5IDDjmKo5hVVA0qsQYMNcCi3G6KSq7cUwZf
VzXnKxVXAgMBAAECggEABvJrPHU98tziGQZC78wt+btZYRYm5L1ClArPvCnna8W2
VVuswUDk3xz15st6ZDoBDMXt1w0PFPlpTjb694u+CQf9cxAAF8tPAP4/SUapxG63
1eFGQG2PSAQn13t0gwRvO+IprliE72YIIXCnkiqcIP6TApe52Zfj4UJI0NQmwmTJ
KfIO9wFwdPOTq1Vy1XPq8JpmLUDeSAoJ7I5j7ZDezg6QWvMCXuohoenzTejy0YHY
Y6UoRNNzIh8zzkIsHq00GnMAIfNKr86hXyrRrM8A9OHT0UkVynnt3vvgY5P0i24Q
L5CjKQjAq17YFeEhpmVjYsQBhO5WOMHZi0/w64w4cQKBgQDajgC6PgSLKajtjg/W
AX2ypyPcNsFfPMU8Hn8nlc3vEgUD0jOKI3qQEE5JfP5ZhcBGoKqeDCA8SIEuFI0f
Ds1D+JDEX3scqri51PQfNHzpQ+guDzi/Nn54X4uBEMl81F7B+pdPemEin/07IbGL
tXklodb9OEi4GgifLqxwKgVtJwKBgQC3BNHKzL6klXV7rivQu2rc/QnRUVHjhpDu
fE8vYrHbsrbERZ/l3oWKnvGJcKC/TCTaUfqnmWstr0SulpIrrjQTnD+e2SXLNwaJ
rWSant323f847Exp/BReXNd9RF5VPN7ZDnCN3z5BCsOXTEM2fw9EwlDQOdDWqxcV
OFsYXn+UUQKBgQDQT2LwIOZxwc5qRepgHuGw40/xuBrNbH3NlH+7ujQjdvhisPpA
4xoRsAj+UG2Z5Drk1oRoycP70VuXES2E+bW54HQTR7JvG2WgchIQoBWiu//TztxW
nFkk4GR2KwrwuPZsSy3nKgzlVLqnnrC8KccDkGL6zae6Gc438uOWsOalJwKBgDIY
tKBRaQG+E3l2VHH/SyIQdWaBXuvrwrI0/qvW1R5xDcwtzrXqMh2eojjfxnB2lEPa
WsUTnp3TsvYjKwGf3otboqKFh+3XMwfumXIleFaBr8HSFJySLrUhrq6QT03/qnQ5
mp+K8wx0uNMqQd+h6fkFQ3+rw7lu/ZOGaJEEFOHxAoGAchT0RUPiyWSh1DrLCo/q
SGWfySkJo8v3bHi1nk76wnivG48ro2dvfZzKfi8u4wNtrqTTtwSVlUx5Jf+L8sPn
e2uHXFtJUWdK3NlkbTbk7ZTVMjOdjAfrtSORGzmyjxVYxat6izaSLVg5MjutFtJK
6jBnpuPNaT37Ltm8AYOv9vM=
-----END PRIVATE KEY-----
)";
const char kTestTokenPublicKeyPem[] = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnD+f2DauwZ8eqyWzqFvC
2An/A2ZdtE9rz+sDDuOos1PPXOFGUrNxnTR3Z7gPycw/Uz4Q7OHctroTcSuFC/eH
aUxvBrs1CGV08wEua3HDgR5vxu6Z7Z8RhPr3DPwl/uHm3yHrGwEX9omwU3lvBUXM
gqzui7pH1hlJJ2OQHBT9qUBkLAFppqfnV81b8khYwaGBPBGS2eN0gtk7GdDi3Tdx
/1oMQaYDsDh37xHk3jXOV76b6s0XyLEdlSsjzLm7xHUh9Uo1TA2JwIGtW9pQvtdr
0I8QsBJpfB1JpRjcSL1KVUuSAw45iqOYVVQNKrEGDDXAotxuikqu3FMGX1c15ysV
VwIDAQAB
-----END PUBLIC KEY-----
)";

std::shared_ptr<const TokenVerifier> TestTokenVerifier() {
  static const auto* const verifier = [] {
    TokenVerifierKeys keys;
    keys.hs256_secret = kTestTokenSecret;
    keys.issuer_public_key_pem = kTestTokenPublicKeyPem;
    return new std::shared_ptr<const TokenVerifier>(*TokenVerifier::Create(std::move(keys)));
  }();
  return *verifier;
}

std::shared_ptr<const TokenMinter> TestTokenMinter() {
  static const auto* const minter = new std::shared_ptr<const TokenMinter>(
      *TokenMinter::CreateRs256(kTestTokenSigningKeyPem, absl::Minutes(5)));
  return *minter;
}

std::shared_ptr<const TokenMinter> TestServiceTokenMinter() {
  static const auto* const minter = new std::shared_ptr<const TokenMinter>(
      *TokenMinter::Create(kTestTokenSecret, absl::Minutes(5)));
  return *minter;
}

Principal TestAdmin(const std::string& region_scope) {
  return Principal{"test:admin", "Test Admin", Role::kAdmin, region_scope};
}

std::string TestToken(const Principal& principal) {
  absl::StatusOr<std::string> token = IsServiceTokenPrincipal(principal)
                                          ? TestServiceTokenMinter()->Mint(principal)
                                          : TestTokenMinter()->Mint(principal);
  if (!token.ok()) throw std::runtime_error(token.status().ToString());
  return *token;
}

std::shared_ptr<grpc::Channel> AuthorizedTestChannel(const std::string& address,
                                                     const Principal& principal,
                                                     const grpc::ChannelArguments& args) {
  return CreateAuthorizedChannel(address, args,
                                 std::make_shared<TokenSource>(TestTokenMinter(), principal));
}

void InstallTestCallAuthentication(grpc::ServerBuilder& builder) {
  InstallCallAuthentication(builder, TestTokenVerifier());
}

std::unique_ptr<grpc::Server> StartAuthenticatedTestServer(grpc::Service& service, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(&service);
  InstallTestCallAuthentication(builder);
  return builder.BuildAndStart();
}

std::string WriteTestTokenSecret(const std::string& dir) {
  std::string path = dir + "/token.secret";
  {
    std::ofstream out(path, std::ios::trunc);
    out << kTestTokenSecret << "\n";
  }
  ::chmod(path.c_str(), 0600);
  return path;
}

TestTokenKeyFiles WriteTestTokenKeys(const std::string& dir) {
  TestTokenKeyFiles files{dir + "/token_signing_key.pem", dir + "/token_public_key.pem"};
  {
    std::ofstream out(files.signing_key, std::ios::trunc);
    out << kTestTokenSigningKeyPem;
  }
  ::chmod(files.signing_key.c_str(), 0600);
  {
    std::ofstream out(files.public_key, std::ios::trunc);
    out << kTestTokenPublicKeyPem;
  }
  return files;
}

std::string WriteTestCheckInKey(const std::string& dir) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  if (!key.ok()) {
    std::fprintf(stderr, "cannot make a check-in key: %s\n", key.status().ToString().c_str());
    std::abort();
  }
  const std::string path = dir + "/checkin_key.pem";
  {
    std::ofstream out(path, std::ios::trunc);
    out << key->PemOf();
  }
  ::chmod(path.c_str(), 0600);
  return path;
}

}  // namespace wahana::testing

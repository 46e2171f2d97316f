#pragma once
// Authentication for tests, as deployed (common/auth/token.h): one fixed HS256 secret (the
// services' own calls) and one fixed RSA key pair standing for the gateway's issuer key (tokens for
// anyone else), tokens for any principal, channels whose calls carry them, and the interceptor for
// servers a test builds itself (the services' own servers get it from RunService). The key pair is
// for tests only: it is public, here.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "common/auth/principal.h"
#include "common/auth/token.h"

namespace wahana::testing {

// The secret every test process and every process a test starts shares.
inline constexpr char kTestTokenSecret[] = "wahana-test-token-secret-0123456789abcdef";

// The test issuer key pair (RSA 2048, PEM).
extern const char kTestTokenSigningKeyPem[];
extern const char kTestTokenPublicKeyPem[];

// Verifies HS256 service tokens (kTestTokenSecret) and RS256 ones of the test issuer key.
std::shared_ptr<const TokenVerifier> TestTokenVerifier();
// RS256 with the test issuer key: tokens for any principal.
std::shared_ptr<const TokenMinter> TestTokenMinter();
// HS256 with kTestTokenSecret: service principals only (ServicePrincipal).
std::shared_ptr<const TokenMinter> TestServiceTokenMinter();

// ADMIN of `region_scope`, subject "test:admin".
Principal TestAdmin(const std::string& region_scope = "16.06");

// A token (valid 5 minutes) for `principal`: HS256 for a service principal, RS256 (the test
// issuer key) for anyone else, as the deployment signs them.
std::string TestToken(const Principal& principal = TestAdmin());

// A channel to `address` whose calls carry a token for `principal`.
std::shared_ptr<grpc::Channel> AuthorizedTestChannel(
    const std::string& address, const Principal& principal = TestAdmin(),
    const grpc::ChannelArguments& args = grpc::ChannelArguments());

// Authenticates the calls of a server a test builds (with TestTokenVerifier()).
void InstallTestCallAuthentication(grpc::ServerBuilder& builder);

// A server for `service` on a free 127.0.0.1 port (written to `*port`), authenticating its calls
// as InstallTestCallAuthentication does; nullptr when it cannot start.
std::unique_ptr<grpc::Server> StartAuthenticatedTestServer(grpc::Service& service, int* port);

// Writes kTestTokenSecret to `dir`/token.secret with mode 0600; returns the path.
std::string WriteTestTokenSecret(const std::string& dir);

// The files of the test issuer key pair, for the processes a test starts: the private half for the
// gateway (WAHANA_TOKEN_SIGNING_KEY_FILE), the public half for the services
// (WAHANA_TOKEN_PUBLIC_KEY_FILE).
struct TestTokenKeyFiles {
  std::string signing_key;  // `dir`/token_signing_key.pem, mode 0600
  std::string public_key;   // `dir`/token_public_key.pem
};
TestTokenKeyFiles WriteTestTokenKeys(const std::string& dir);

// A fresh Ed25519 key for the event service's check-in codes, written as PEM into `dir` (mode
// 0600); returns its path. Aborts the test binary when it cannot.
std::string WriteTestCheckInKey(const std::string& dir);

}  // namespace wahana::testing

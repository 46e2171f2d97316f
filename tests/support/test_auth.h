#pragma once
// Authentication for tests: one fixed HS256 secret, tokens for any principal, channels whose calls
// carry them, and the interceptor for servers a test builds itself (the services' own servers get
// it from RunService).

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "common/auth/principal.h"
#include "common/auth/token.h"

namespace wahana::testing {

// The secret every test process and every process a test starts shares.
inline constexpr char kTestTokenSecret[] = "wahana-test-token-secret-0123456789abcdef";

std::shared_ptr<const TokenVerifier> TestTokenVerifier();
std::shared_ptr<const TokenMinter> TestTokenMinter();

// ADMIN of `region_scope`, subject "test:admin".
Principal TestAdmin(const std::string& region_scope = "16.06");

// A token (valid 5 minutes) for `principal`.
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

}  // namespace wahana::testing

#include "support/test_auth.h"

#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "common/auth/bearer_channel.h"
#include "common/auth/call_authenticator.h"

namespace wahana::testing {

std::shared_ptr<const TokenVerifier> TestTokenVerifier() {
  static const auto* const verifier =
      new std::shared_ptr<const TokenVerifier>(*TokenVerifier::Create(kTestTokenSecret));
  return *verifier;
}

std::shared_ptr<const TokenMinter> TestTokenMinter() {
  static const auto* const minter = new std::shared_ptr<const TokenMinter>(
      *TokenMinter::Create(kTestTokenSecret, absl::Minutes(5)));
  return *minter;
}

Principal TestAdmin(const std::string& region_scope) {
  return Principal{"test:admin", "Test Admin", Role::kAdmin, region_scope};
}

std::string TestToken(const Principal& principal) {
  absl::StatusOr<std::string> token = TestTokenMinter()->Mint(principal);
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

}  // namespace wahana::testing

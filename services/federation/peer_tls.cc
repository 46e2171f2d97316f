#include "federation/peer_tls.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* setting) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().find("-----BEGIN") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(setting, ": cannot read a PEM file at ", path));
  }
  return text.str();
}

}  // namespace

absl::StatusOr<PeerTls> ReadPeerTls(EnvReader& reader, const std::string& host) {
  const int64_t port = reader.Int("WAHANA_FEDERATION_TLS_PORT", 0, 65535);
  const std::string cert_file = reader.String("WAHANA_FEDERATION_TLS_CERT_FILE");
  const std::string key_file = reader.String("WAHANA_FEDERATION_TLS_KEY_FILE");
  const std::string ca_file = reader.String("WAHANA_FEDERATION_TLS_CA_FILE");
  PeerTls tls;
  tls.client = grpc::InsecureChannelCredentials();
  if (!ca_file.empty()) {
    absl::StatusOr<std::string> roots = ReadPem(ca_file, "WAHANA_FEDERATION_TLS_CA_FILE");
    if (!roots.ok()) return roots.status();
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = *roots;
    tls.client = grpc::SslCredentials(options);
  }
  if (port == 0 && cert_file.empty() && key_file.empty()) return tls;
  if (port == 0 || cert_file.empty() || key_file.empty()) {
    return absl::InvalidArgumentError(
        "WAHANA_FEDERATION_TLS_PORT, WAHANA_FEDERATION_TLS_CERT_FILE and "
        "WAHANA_FEDERATION_TLS_KEY_FILE: all three, or none");
  }
  absl::StatusOr<std::string> cert = ReadPem(cert_file, "WAHANA_FEDERATION_TLS_CERT_FILE");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(key_file, "WAHANA_FEDERATION_TLS_KEY_FILE");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  tls.server = grpc::SslServerCredentials(options);
  tls.listen_address = absl::StrCat(host, ":", port);
  return tls;
}

}  // namespace wahana

#pragma once
// TLS between deployments. A province and its districts talk over networks the office does not
// own, and a look-up's answer carries a person's name: batches are signed (their origin is
// proven), TLS keeps them and the answers private. A federation service given a certificate
// (WAHANA_FEDERATION_TLS_CERT_FILE, _KEY_FILE) also listens with TLS on
// WAHANA_FEDERATION_TLS_PORT for the other deployments (its own gateway keeps the plain port,
// inside the deployment); given a CA (WAHANA_FEDERATION_TLS_CA_FILE) it calls its peers with TLS,
// checking their certificates against it (a peer's address is then its TLS port).

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/config/env_reader.h"

namespace wahana {

struct PeerTls {
  // Empty when this deployment serves its peers no TLS port.
  std::string listen_address;
  std::shared_ptr<grpc::ServerCredentials> server;
  // TLS with the CA's roots, or none (plain) when no CA is given.
  std::shared_ptr<grpc::ChannelCredentials> client;
};

// Reads the four settings from `reader` (errors are the reader's: Finish() reports them) and the
// files they name. INVALID_ARGUMENT naming the setting: a port without a certificate and key, a
// certificate without a port, a file that cannot be read.
absl::StatusOr<PeerTls> ReadPeerTls(EnvReader& reader, const std::string& host);

}  // namespace wahana

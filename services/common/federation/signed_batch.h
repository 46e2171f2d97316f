#pragma once
// Signing and opening what deployments send each other (federation.v1.SignedBatch, a province's
// SignedLookup): the sender signs the exact bytes it sends, so the receiver verifies before it
// parses anything, and no canonical form is needed. One place for both sides; a second protocol
// between deployments can use it as it is.

#include "absl/status/statusor.h"
#include "common/crypto/ed25519_key.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

// `message` parsed from `bytes` once `key` verifies `signature` over those exact bytes.
// UNAUTHENTICATED "signature: does not verify with the key registered for <signer>", or
// INVALID_ARGUMENT "<field>: not a <type>" when the verified bytes do not parse.
absl::Status OpenSigned(absl::string_view bytes, absl::string_view signature,
                        const Ed25519PublicKey& key, absl::string_view signer,
                        absl::string_view field, google::protobuf::Message* message);

// `batch` serialized and signed by `key`, for origin batch.origin().
wahana::federation::v1::SignedBatch SignBatch(const wahana::federation::v1::Batch& batch,
                                              const Ed25519PrivateKey& key);

// The batch inside `signed_batch` once `key` verifies its signature and its origin is the signed
// one. UNAUTHENTICATED "signature: ..." when the signature does not verify; INVALID_ARGUMENT when
// the verified bytes are not a Batch or name another origin.
absl::StatusOr<wahana::federation::v1::Batch> OpenSignedBatch(
    const wahana::federation::v1::SignedBatch& signed_batch, const Ed25519PublicKey& key);

}  // namespace wahana

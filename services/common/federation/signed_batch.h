#pragma once
// Signing and opening federation batches (federation.v1.SignedBatch): the sender signs the exact
// bytes it sends, so the receiver verifies before it parses anything, and no canonical form is
// needed. One place for both sides; a second protocol between deployments can use it as it is.

#include "absl/status/statusor.h"
#include "common/crypto/ed25519_key.h"
#include "wahana/federation/v1/federation.pb.h"

namespace wahana {

// `batch` serialized and signed by `key`, for origin batch.origin().
wahana::federation::v1::SignedBatch SignBatch(const wahana::federation::v1::Batch& batch,
                                              const Ed25519PrivateKey& key);

// The batch inside `signed_batch` once `key` verifies its signature and its origin is the signed
// one. UNAUTHENTICATED "signature: ..." when the signature does not verify; INVALID_ARGUMENT when
// the verified bytes are not a Batch or name another origin.
absl::StatusOr<wahana::federation::v1::Batch> OpenSignedBatch(
    const wahana::federation::v1::SignedBatch& signed_batch, const Ed25519PublicKey& key);

}  // namespace wahana

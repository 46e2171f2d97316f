#include "common/federation/signed_batch.h"

#include "absl/strings/str_cat.h"

namespace wahana {

using wahana::federation::v1::Batch;
using wahana::federation::v1::SignedBatch;

SignedBatch SignBatch(const Batch& batch, const Ed25519PrivateKey& key) {
  SignedBatch out;
  out.set_origin(batch.origin());
  out.set_batch(batch.SerializeAsString());
  out.set_signature(key.Sign(out.batch()));
  return out;
}

absl::StatusOr<Batch> OpenSignedBatch(const SignedBatch& signed_batch,
                                      const Ed25519PublicKey& key) {
  if (!key.Verify(signed_batch.batch(), signed_batch.signature())) {
    return absl::UnauthenticatedError(absl::StrCat(
        "signature: does not verify with the key registered for ", signed_batch.origin()));
  }
  Batch batch;
  if (!batch.ParseFromString(signed_batch.batch())) {
    return absl::InvalidArgumentError("batch: not a federation.v1.Batch");
  }
  if (batch.origin() != signed_batch.origin()) {
    return absl::InvalidArgumentError(absl::StrCat("batch.origin: ", batch.origin(),
                                                   " differs from the signed origin ",
                                                   signed_batch.origin()));
  }
  return batch;
}

}  // namespace wahana

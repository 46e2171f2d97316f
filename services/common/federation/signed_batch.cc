#include "common/federation/signed_batch.h"

#include "absl/strings/str_cat.h"

namespace wahana {

using wahana::federation::v1::Batch;
using wahana::federation::v1::SignedBatch;

absl::Status OpenSigned(absl::string_view bytes, absl::string_view signature,
                        const Ed25519PublicKey& key, absl::string_view signer,
                        absl::string_view field, google::protobuf::Message* message) {
  if (!key.Verify(bytes, signature)) {
    return absl::UnauthenticatedError(
        absl::StrCat("signature: does not verify with the key registered for ", signer));
  }
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a ", message->GetDescriptor()->full_name()));
  }
  return absl::OkStatus();
}

SignedBatch SignBatch(const Batch& batch, const Ed25519PrivateKey& key) {
  SignedBatch out;
  out.set_origin(batch.origin());
  out.set_batch(batch.SerializeAsString());
  out.set_signature(key.Sign(out.batch()));
  return out;
}

absl::StatusOr<Batch> OpenSignedBatch(const SignedBatch& signed_batch,
                                      const Ed25519PublicKey& key) {
  Batch batch;
  absl::Status opened = OpenSigned(signed_batch.batch(), signed_batch.signature(), key,
                                   signed_batch.origin(), "batch", &batch);
  if (!opened.ok()) return opened;
  if (batch.origin() != signed_batch.origin()) {
    return absl::InvalidArgumentError(absl::StrCat("batch.origin: ", batch.origin(),
                                                   " differs from the signed origin ",
                                                   signed_batch.origin()));
  }
  return batch;
}

}  // namespace wahana

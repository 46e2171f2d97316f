// The gateway's proof of a forwarded client address, without a server: it binds the key, the
// token and the address, and no split of token and address gives another pair's proof. (The
// interceptor test checks what a service records with and without it.)

#include "common/audit/forwarded_address.h"

#include <gtest/gtest.h>

#include "common/audit/audit_chain.h"

namespace wahana {
namespace {

TEST(ForwardedAddressTest, KeyIsDerivedAndDiffersFromTheChainKey) {
  const std::string chain_key = AuditChain::DeriveKey("deployment-secret-0123456789abcdef");
  EXPECT_EQ(DeriveForwardingKey(chain_key).size(), 32u);
  EXPECT_NE(DeriveForwardingKey(chain_key), chain_key);
  EXPECT_NE(DeriveForwardingKey(chain_key), DeriveForwardingKey("another chain key"));
}

TEST(ForwardedAddressTest, ProofBindsKeyTokenAndAddress) {
  const std::string proof = ForwardedProof("key", "token", "203.0.113.7");
  EXPECT_EQ(proof.size(), 64u);
  EXPECT_EQ(proof, ForwardedProof("key", "token", "203.0.113.7"));
  EXPECT_NE(proof, ForwardedProof("other key", "token", "203.0.113.7"));
  EXPECT_NE(proof, ForwardedProof("key", "other token", "203.0.113.7"));
  EXPECT_NE(proof, ForwardedProof("key", "token", "203.0.113.8"));
  // The token's length is part of the input: moving characters across the split changes it.
  EXPECT_NE(ForwardedProof("key", "token2", "03.0.113.7"),
            ForwardedProof("key", "token", "203.0.113.7"));
}

}  // namespace
}  // namespace wahana

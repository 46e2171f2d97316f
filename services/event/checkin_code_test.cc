#include "event/checkin_code.h"

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/encoding/crockford_base32.h"
#include "common/ids/time_ordered_id.h"

namespace wahana {
namespace {

constexpr char kEvent[] = "01JQ3V5X7Z9B1C3D5F7G9H1J3K";
constexpr char kParticipant[] = "01JQ3V6Y8A0C2E4G6J8M0P2R4S";
constexpr char kNotACode[] = "code: not a check-in code";
constexpr char kForged[] = "code: the signature does not match this deployment's key";

class CheckInCodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok()) << key.status();
    key_.emplace(*std::move(key));
    absl::StatusOr<std::string> code = MakeCheckInCode(*key_, Claim());
    ASSERT_TRUE(code.ok()) << code.status();
    code_ = *std::move(code);
  }

  static CheckInClaim Claim() {
    return {kEvent, kParticipant, absl::FromUnixSeconds(1767225600)};  // 2026-01-01 00:00 UTC
  }

  absl::StatusOr<CheckInClaim> Read(absl::string_view code) {
    return ReadCheckInCode(key_->PublicKey(), code);
  }

  std::optional<Ed25519PrivateKey> key_;
  std::string code_;
};

TEST_F(CheckInCodeTest, RoundTripsTheClaim) {
  EXPECT_EQ(code_.size(), 170u);
  EXPECT_EQ(code_.substr(0, 2), "W1");
  absl::StatusOr<CheckInClaim> claim = Read(code_);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->event_id, kEvent);
  EXPECT_EQ(claim->participant_id, kParticipant);
  EXPECT_EQ(claim->valid_until, absl::FromUnixSeconds(1767225600));
}

TEST_F(CheckInCodeTest, ValidUntilKeepsTheSecondAndDropsTheRest) {
  for (int64_t seconds :
       {int64_t{0}, int64_t{1}, int64_t{-86400}, int64_t{4102444800}, int64_t{253402300799}}) {
    CheckInClaim claim = Claim();
    claim.valid_until = absl::FromUnixSeconds(seconds) + absl::Milliseconds(999);
    absl::StatusOr<std::string> code = MakeCheckInCode(*key_, claim);
    ASSERT_TRUE(code.ok()) << code.status();
    absl::StatusOr<CheckInClaim> read = Read(*code);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->valid_until, absl::FromUnixSeconds(seconds));
  }
}

TEST_F(CheckInCodeTest, IdsRoundTripExactly) {
  TimeOrderedIdGenerator ids;
  for (int i = 0; i < 20; ++i) {
    CheckInClaim claim = Claim();
    claim.event_id = ids.Next();
    claim.participant_id = ids.Next();
    absl::StatusOr<std::string> code = MakeCheckInCode(*key_, claim);
    ASSERT_TRUE(code.ok()) << code.status();
    absl::StatusOr<CheckInClaim> read = Read(*code);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->event_id, claim.event_id);
    EXPECT_EQ(read->participant_id, claim.participant_id);
  }
}

TEST_F(CheckInCodeTest, AMalformedIdIsRefusedByName) {
  CheckInClaim claim = Claim();
  claim.event_id = "not-an-id";
  EXPECT_EQ(MakeCheckInCode(*key_, claim).status().message(), "event_id: not an event id");
  claim = Claim();
  claim.participant_id = "01jq3v6y8a0c2e4g6j8m0p2r4s";  // ids are upper case
  EXPECT_EQ(MakeCheckInCode(*key_, claim).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CheckInCodeTest, AnotherDeploymentsCodeIsRefused) {
  absl::StatusOr<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  absl::StatusOr<std::string> foreign = MakeCheckInCode(*other, Claim());
  ASSERT_TRUE(foreign.ok());
  absl::StatusOr<CheckInClaim> read = Read(*foreign);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(read.status().message(), kForged);
}

TEST_F(CheckInCodeTest, EveryAlteredCharacterIsRefused) {
  for (size_t i = 0; i < code_.size(); ++i) {
    std::string altered = code_;
    if (i < 2) {
      altered[i] = i == 0 ? 'X' : '2';
    } else {
      // Another digit value: a look-alike (O for 0) would be the same code.
      altered[i] = kCrockfordDigits[(CrockfordDigitValue(code_[i]) + 1 + i % 31) % 32];
    }
    absl::StatusOr<CheckInClaim> read = Read(altered);
    ASSERT_FALSE(read.ok()) << "position " << i;
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
    // The version digits make it no code at all; anything after, a forgery.
    if (i >= 4) {
      EXPECT_EQ(read.status().message(), kForged) << "position " << i;
    }
  }
}

TEST_F(CheckInCodeTest, WhatIsNotACodeSaysSo) {
  for (const std::string& bad : {
           std::string(), std::string("W1"), code_.substr(0, code_.size() - 1),  // truncated
           code_.substr(0, code_.size() - 8),  // truncated by 5 whole bytes
           code_ + "0",                        // extended
           code_ + "00000000",                 // extended by 5 zero bytes
           "W2" + code_.substr(2),             // unknown prefix
           "X1" + code_.substr(2),
           code_.substr(2) + "00",                                // no prefix
           code_.substr(0, 100) + "U" + code_.substr(101),        // U is not a digit
           code_.substr(0, 100) + "-" + code_.substr(101),        //
           code_.substr(0, 80) + " " + code_.substr(80),          // inner space
           "W1" + CrockfordBase32Encode(std::string(105, '\0')),  // version 0
       }) {
    absl::StatusOr<CheckInClaim> read = Read(bad);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(read.status().message(), kNotACode) << bad;
  }
  EXPECT_EQ(ReadCheckInCode(key_->PublicKey(), "x", "checkInCode").status().message(),
            "checkInCode: not a check-in code");
}

TEST_F(CheckInCodeTest, TypedCodesAreForgiven) {
  std::string typed = absl::AsciiStrToLower(code_);
  for (char& c : typed) {
    if (c == '1') c = 'l';
    if (c == '0') c = 'O';
  }
  for (const std::string& variant : {absl::AsciiStrToLower(code_), typed,
                                     absl::StrCat("  ", code_, "\n"), absl::StrCat("\t", typed)}) {
    absl::StatusOr<CheckInClaim> read = Read(variant);
    ASSERT_TRUE(read.ok()) << variant << ": " << read.status();
    EXPECT_EQ(read->event_id, kEvent);
  }
}

TEST_F(CheckInCodeTest, CodesUseOnlyQrAlphanumericCharacters) {
  for (char c : code_) {
    EXPECT_TRUE(absl::ascii_isdigit(c) || absl::ascii_isupper(c)) << c;
  }
}

}  // namespace
}  // namespace wahana

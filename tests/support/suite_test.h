#pragma once
// A fixture whose tests share one Suite (suite.h): started before the fixture's first test,
// stopped after its last. Every test fails at once, naming why, when the suite did not start.
// A fixture that prepares data for all its tests overrides SetUpTestSuite and calls this one
// first.

#include <gtest/gtest.h>

#include "support/suite.h"

namespace wahana::testing {

class SuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
    started_ = suite_->Start();
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << "the suite did not start"; }

  static inline Suite* suite_ = nullptr;
  static inline bool started_ = false;
};

}  // namespace wahana::testing

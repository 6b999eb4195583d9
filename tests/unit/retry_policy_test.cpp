// Every rule of the retry policy: a failure and the history so far -> what next.
#include <gtest/gtest.h>

#include "download/retry_policy.hpp"

namespace xfu {
namespace {

Failure failure_of(Step step, std::string reason = "HTTP 503 Service Unavailable", long status = 503) {
  Failure failure;
  failure.outcome = Outcome{step, std::move(reason), status};
  failure.host = "mirror.example";
  failure.resume_point = 4096;
  return failure;
}

RetryHistory alone(int slot_failures = 0) {
  RetryHistory history;
  history.slot_failures = slot_failures;
  history.retries = 3;
  history.max_backoff_seconds = 30;
  return history;
}

RetryHistory with_others(size_t limit, size_t active) {
  RetryHistory history = alone();
  history.others_working = true;
  history.limit = limit;
  history.active = active;
  return history;
}

TEST(RetryPolicy, ACompleteTransferChangesNothing) {
  const RetryDecision decision = decide_retry(failure_of(Step::Complete, ""), alone(2));
  EXPECT_EQ(decision.action, Action::Nothing);
  EXPECT_EQ(decision.note, "");
  EXPECT_EQ(decision.slot_failures, 2);
}

TEST(RetryPolicy, ProgressClearsTheFailureCount) {
  Failure failure = failure_of(Step::Complete, "");
  failure.progressed = true;
  EXPECT_EQ(decide_retry(failure, alone(2)).slot_failures, 0);
}

TEST(RetryPolicy, ALastingFailureMovesToTheNextMirror) {
  const RetryDecision decision = decide_retry(failure_of(Step::NextMirror, "HTTP 404 Not Found", 404), alone());
  EXPECT_EQ(decision.action, Action::NextMirror);
  EXPECT_EQ(decision.note, "mirror.example: HTTP 404 Not Found; trying the next mirror");
}

// After the last mirror the final error names every mirror tried: no note promises another.
TEST(RetryPolicy, TheLastMirrorSpeaksOfNoNextOne) {
  RetryHistory last = alone(3);
  last.another_mirror = false;
  const RetryDecision lasting = decide_retry(failure_of(Step::NextMirror, "HTTP 404 Not Found", 404), last);
  EXPECT_EQ(lasting.action, Action::NextMirror);
  EXPECT_EQ(lasting.note, "");
  const RetryDecision retried = decide_retry(failure_of(Step::Retry), last);
  EXPECT_EQ(retried.action, Action::NextMirror);
  EXPECT_EQ(retried.note, "mirror.example: HTTP 503 Service Unavailable; giving up after 3 retries");
  const RetryDecision abandoned = decide_retry(failure_of(Step::Abandon, "too long"), last);
  EXPECT_EQ(abandoned.action, Action::StartOver);
  EXPECT_TRUE(abandoned.then_next_mirror);
  EXPECT_EQ(abandoned.note, "");
  last.restarts = 3;
  const RetryDecision restarted = decide_retry(failure_of(Step::Restart, "the file changed"), last);
  EXPECT_TRUE(restarted.then_next_mirror);
  EXPECT_EQ(restarted.note, "mirror.example: the file changed; giving up after 3 restarts from zero");
}

TEST(RetryPolicy, AFailureFromAMirrorAlreadyLeftIsIgnored) {
  Failure failure = failure_of(Step::NextMirror, "HTTP 404 Not Found", 404);
  failure.from_current_url = false;
  const RetryDecision decision = decide_retry(failure, alone());
  EXPECT_EQ(decision.action, Action::Nothing);
  EXPECT_EQ(decision.note, "");
}

TEST(RetryPolicy, ARestartStartsOverOnOneConnection) {
  RetryHistory history = with_others(4, 3);
  history.restarts = 1;
  const RetryDecision decision = decide_retry(failure_of(Step::Restart, "the remote file's size changed", 0), history);
  EXPECT_EQ(decision.action, Action::StartOver);
  EXPECT_EQ(decision.note, "the remote file's size changed; starting over");
  EXPECT_EQ(decision.limit, 1u);
  EXPECT_EQ(decision.restarts, 2);
  EXPECT_FALSE(decision.then_next_mirror);
}

TEST(RetryPolicy, TooManyRestartsMoveToTheNextMirror) {
  RetryHistory history = alone();
  history.restarts = 3;
  const RetryDecision decision = decide_retry(failure_of(Step::Restart, "no bytes", 0), history);
  EXPECT_EQ(decision.action, Action::StartOver);
  EXPECT_EQ(decision.restarts, 4);
  EXPECT_TRUE(decision.then_next_mirror);
}

TEST(RetryPolicy, TheNoteSaysWhenRestartsAreUsedUp) {
  RetryHistory history = alone();
  history.restarts = 3;
  EXPECT_EQ(decide_retry(failure_of(Step::Restart, "no bytes", 0), history).note,
            "mirror.example: no bytes; giving up on this mirror after 3 restarts from zero");
}

TEST(RetryPolicy, AMirrorThatSendsSomethingElseIsLeftFromZero) {
  const RetryDecision decision = decide_retry(failure_of(Step::Abandon, "the server sent more than 10 bytes", 0),
                                              with_others(4, 3));
  EXPECT_EQ(decision.action, Action::StartOver);
  EXPECT_TRUE(decision.then_next_mirror);
  EXPECT_EQ(decision.limit, 1u);
  EXPECT_EQ(decision.note, "mirror.example: the server sent more than 10 bytes; starting over on the next mirror");
  Failure late = failure_of(Step::Abandon, "the server sent more than 10 bytes", 0);
  late.from_current_url = false;
  EXPECT_EQ(decide_retry(late, alone()).action, Action::Nothing);
}

TEST(RetryPolicy, AWholeFileInsteadOfTheRestCountsAsARestart) {
  EXPECT_EQ(restart_with_whole_file(0, 3, true), 1);
  EXPECT_EQ(restart_with_whole_file(2, 3, true), 3);
  EXPECT_EQ(restart_with_whole_file(3, 3, true), std::nullopt);
  EXPECT_EQ(restart_with_whole_file(0, 0, true), std::nullopt);
  // Before this run received anything, it says the file changed since the last run.
  EXPECT_EQ(restart_with_whole_file(0, 0, false), 0);
  EXPECT_EQ(restart_with_whole_file(3, 3, false), 3);
}

TEST(RetryPolicy, TooManyRequestsWhileOthersWorkMeansFewerConnections) {
  const RetryDecision decision = decide_retry(failure_of(Step::Retry, "HTTP 429 Too Many Requests", 429),
                                              with_others(4, 2));
  EXPECT_EQ(decision.action, Action::FewerConnections);
  EXPECT_EQ(decision.limit, 2u);
  EXPECT_EQ(decision.note, "mirror.example: HTTP 429 Too Many Requests; going on with 2 connections");
  EXPECT_EQ(decision.slot_failures, 0);
  const RetryDecision to_one = decide_retry(failure_of(Step::Retry, "HTTP 429 Too Many Requests", 429),
                                            with_others(2, 1));
  EXPECT_EQ(to_one.note, "mirror.example: HTTP 429 Too Many Requests; going on with 1 connection");
}

TEST(RetryPolicy, TooManyRequestsOnOneConnectionWaitsLikeAnyRetry) {
  const RetryDecision decision = decide_retry(failure_of(Step::Retry, "HTTP 429 Too Many Requests", 429), alone());
  EXPECT_EQ(decision.action, Action::WaitAll);
  EXPECT_EQ(decision.wait_seconds, 1);
}

TEST(RetryPolicy, BackOffDoublesUpToTheLimit) {
  const std::pair<int, int64_t> expected[] = {{0, 1}, {1, 2}, {2, 4}};
  for (const auto& [before, wait] : expected) {
    const RetryDecision decision = decide_retry(failure_of(Step::Retry), alone(before));
    EXPECT_EQ(decision.action, Action::WaitAll);
    EXPECT_EQ(decision.slot_failures, before + 1);
    EXPECT_EQ(decision.wait_seconds, wait);
    EXPECT_EQ(decision.note,
              "mirror.example: HTTP 503 Service Unavailable; retrying in " + std::to_string(wait) + " s");
  }
  RetryHistory patient = alone(10);
  patient.retries = 100;
  patient.max_backoff_seconds = 30;
  EXPECT_EQ(decide_retry(failure_of(Step::Retry), patient).wait_seconds, 30);
  patient.slot_failures = 60;  // the shift stops growing long before it overflows
  patient.max_backoff_seconds = 5000;
  EXPECT_EQ(decide_retry(failure_of(Step::Retry), patient).wait_seconds, 1024);
}

TEST(RetryPolicy, RetryAfterWinsOverBackOffWithinAMinute) {
  Failure failure = failure_of(Step::Retry);
  failure.outcome.retry_after = 12;
  EXPECT_EQ(decide_retry(failure, alone()).wait_seconds, 12);
  failure.outcome.retry_after = 3600;
  EXPECT_EQ(decide_retry(failure, alone()).wait_seconds, 60);
  failure.outcome.retry_after = -5;
  EXPECT_EQ(decide_retry(failure, alone()).wait_seconds, 0);
}

TEST(RetryPolicy, WhileOthersWorkOnlyThisConnectionWaits) {
  const RetryDecision decision = decide_retry(failure_of(Step::Retry), with_others(4, 3));
  EXPECT_EQ(decision.action, Action::WaitThisSlot);
  EXPECT_EQ(decision.limit, 4u);
}

TEST(RetryPolicy, ADroppedConnectionThatMadeProgressResumesAtOnce) {
  Failure failure = failure_of(Step::Retry, "Connection reset by peer", 0);
  failure.progressed = true;
  const RetryDecision decision = decide_retry(failure, alone(3));
  EXPECT_EQ(decision.action, Action::ResumeNow);
  EXPECT_EQ(decision.slot_failures, 1);
  EXPECT_EQ(decision.note, "mirror.example: Connection reset by peer; resuming at 4.1 KB");
}

TEST(RetryPolicy, ProgressWithRetryAfterStillWaits) {
  Failure failure = failure_of(Step::Retry);
  failure.progressed = true;
  failure.outcome.retry_after = 2;
  const RetryDecision decision = decide_retry(failure, alone(3));
  EXPECT_EQ(decision.action, Action::WaitAll);
  EXPECT_EQ(decision.wait_seconds, 2);
}

TEST(RetryPolicy, AConnectionThatKeepsFailingWhileOthersWorkIsRetired) {
  RetryHistory history = with_others(4, 3);
  history.slot_failures = 3;
  const RetryDecision decision = decide_retry(failure_of(Step::Retry), history);
  EXPECT_EQ(decision.action, Action::RetireSlot);
  EXPECT_EQ(decision.limit, 3u);
  EXPECT_EQ(decision.note, "mirror.example: HTTP 503 Service Unavailable; going on with 3 connections");
  history.limit = 1;
  EXPECT_EQ(decide_retry(failure_of(Step::Retry), history).limit, 1u);
}

TEST(RetryPolicy, RetriesUsedUpAloneMoveToTheNextMirror) {
  const RetryDecision decision = decide_retry(failure_of(Step::Retry), alone(3));
  EXPECT_EQ(decision.action, Action::NextMirror);
  EXPECT_EQ(decision.note, "mirror.example: HTTP 503 Service Unavailable; giving up on this mirror after 3 retries");
  EXPECT_EQ(decision.slot_failures, 4);
}

}  // namespace
}  // namespace xfu

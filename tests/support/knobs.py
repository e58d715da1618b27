"""Environment variables through which tests steer the counting provider in a subprocess."""

CALL_LOG = "BRISTLENOSE_TEST_CALL_LOG"
FAIL = "BRISTLENOSE_TEST_FAIL"
SLOW = "BRISTLENOSE_TEST_SLOW"

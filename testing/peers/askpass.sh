#!/bin/sh
# SSH_ASKPASS for the tests: answers the password OpenSSH asks for from the environment. A committed script rather
# than one written per test, since executing a file the test process just wrote races with other tests' spawned
# children holding its write descriptor (exec fails with "Text file busy").
printf '%s\n' "$HOOP_TEST_SSH_PASSWORD"

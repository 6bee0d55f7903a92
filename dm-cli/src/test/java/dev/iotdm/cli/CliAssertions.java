package dev.iotdm.cli;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/** The AssertJ entry point of the dm-cli tests: AssertJ plus assertions on a {@link CliResult}. */
class CliAssertions extends Assertions {

    /** Assertions on a run's exit code and output. */
    static CliResultAssert assertThat(CliResult actual) {
        return new CliResultAssert(actual);
    }

    /** Fluent checks of a {@link CliResult}; failures show both streams. */
    static final class CliResultAssert extends AbstractAssert<CliResultAssert, CliResult> {

        CliResultAssert(CliResult actual) {
            super(actual, CliResultAssert.class);
        }

        /** The run ended with {@code code}. */
        CliResultAssert hasExitCode(int code) {
            isNotNull();
            if (actual.exitCode() != code) {
                failWithMessage("expected exit code %d but was %d%nout:%n%s%nerr:%n%s", code, actual.exitCode(),
                        actual.out(), actual.err());
            }
            return this;
        }

        /** Standard error contains {@code text}. */
        CliResultAssert printedOnErr(String text) {
            isNotNull();
            if (!actual.err().contains(text)) {
                failWithMessage("expected standard error to contain%n  %s%nbut it was:%n%s", text, actual.err());
            }
            return this;
        }

        /** Standard output contains {@code text}. */
        CliResultAssert printedOnOut(String text) {
            isNotNull();
            if (!actual.out().contains(text)) {
                failWithMessage("expected standard output to contain%n  %s%nbut it was:%n%s", text, actual.out());
            }
            return this;
        }
    }
}

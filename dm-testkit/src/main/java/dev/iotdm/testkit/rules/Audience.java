package dev.iotdm.testkit.rules;

/** Whose device a {@link Verdict} judges, which decides which rule levels fail it. */
public enum Audience {
    /**
     * A device written by someone else, in any language (the {@code platform} console, the
     * {@code conformance} command): only {@link RuleLevel#REQUIRED} rules that bind the device fail
     * it; everything else is reported as a deviation.
     */
    EXTERNAL_DEVICE,
    /**
     * One of our own devices (the demo, the samples, every in-repo test row): a violation of any
     * required or recommended rule fails it, including a rule the platform broke (that is our
     * platform's bug); only informational findings (never wrong on their own) do not.
     */
    OUR_DEVICE
}

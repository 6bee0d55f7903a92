package dev.iotdm.testkit.fault;

/**
 * How many MQTT publishes one leg between a device and a platform took in, handed on and knows to
 * be lost, counted by whoever runs that leg (a {@link FaultProxy} direction, a broker's queue for
 * one client). A publish is known lost when the leg saw its connection close (or discarded it on
 * purpose) before handing it on; one still held, delayed or queued on an open connection is in
 * flight.
 *
 * @param leg       what was counted, for messages (e.g. {@code "proxy upstream"})
 * @param taken     publishes the leg took in
 * @param handedOn  publishes it handed on (written towards their receiver)
 * @param lost      publishes it knows it will never hand on
 */
public record PublishTally(String leg, long taken, long handedOn, long lost) {

    /**
     * Checks the counts.
     *
     * @param leg what was counted; not blank
     * @param taken 0 or more
     * @param handedOn 0 or more
     * @param lost 0 or more
     * @throws IllegalArgumentException if {@code leg} is blank or a count negative
     */
    public PublishTally {
        if (leg == null || leg.isBlank()) {
            throw new IllegalArgumentException("leg: must not be blank");
        }
        if (taken < 0 || handedOn < 0 || lost < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + taken + "/" + handedOn + "/" + lost);
        }
    }

    /**
     * The counts of {@code parts} added up, under the name {@code leg}.
     *
     * @param leg what the sum counts, e.g. {@code "proxy"}; not blank
     * @param parts the tallies to add; may be empty
     * @return one tally whose counts are the sums
     * @throws IllegalArgumentException if {@code leg} is blank
     */
    public static PublishTally sum(String leg, java.util.Collection<PublishTally> parts) {
        long taken = 0;
        long on = 0;
        long lost = 0;
        for (PublishTally t : parts) {
            taken += t.taken();
            on += t.handedOn();
            lost += t.lost();
        }
        return new PublishTally(leg, taken, on, lost);
    }

    /**
     * Publishes taken in and neither handed on nor known lost (never negative).
     *
     * @return {@code taken - handedOn - lost}, at least 0
     */
    public long inFlight() {
        return Math.max(0, taken - handedOn - lost);
    }

    /**
     * Whether every publish taken in was handed on or is known lost.
     *
     * @return {@code true} when nothing is in flight
     */
    public boolean settled() {
        return inFlight() == 0;
    }

    @Override
    public String toString() {
        return leg + ": " + taken + " in, " + handedOn + " on, " + lost + " lost";
    }
}

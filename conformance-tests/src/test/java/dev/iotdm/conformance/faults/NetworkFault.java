package dev.iotdm.conformance.faults;

import dev.iotdm.testkit.broker.EmbeddedBroker;
import dev.iotdm.testkit.fault.CloseMode;
import dev.iotdm.testkit.fault.Direction;
import dev.iotdm.testkit.fault.Fault;
import dev.iotdm.testkit.fault.FaultProxy;

/**
 * The faults of the matrix (issue #10): each strikes the link between one device and the broker
 * mid-flow, and {@link #recover} undoes what must be undone once the device has noticed, so that
 * its next connection works.
 */
enum NetworkFault {
    /** Both sides get a RST at once. */
    RST_DROP,
    /** Both sides get a FIN at once. */
    FIN_DROP,
    /** Bytes are held both ways; TCP stays up until the device's keep-alive gives up. */
    STALL,
    /** A dead peer: every byte either way is discarded and nothing closes. */
    HALF_OPEN,
    /** The device's writes go nowhere; the broker's still reach it. */
    CUT_DEVICE_TO_BROKER,
    /** The device reads end of stream; its own writes still reach the broker. */
    CUT_BROKER_TO_DEVICE,
    /** The broker stops (every connection closes) and starts again on the same port. */
    BROKER_RESTART;

    /** Whether the fault lasts until {@link #recover} (the device's next connection would suffer it too). */
    boolean lasting() {
        return this == STALL || this == HALF_OPEN;
    }

    /** Strikes the fault on every connection open through {@code proxy} now. */
    void strike(FaultProxy proxy, EmbeddedBroker broker) {
        switch (this) {
            case RST_DROP -> proxy.apply(new Fault.DropConnections(CloseMode.RESET));
            case FIN_DROP -> proxy.apply(new Fault.DropConnections(CloseMode.FIN));
            case STALL -> proxy.apply(new Fault.Stall(Direction.BOTH));
            case HALF_OPEN -> proxy.apply(new Fault.HalfOpen());
            case CUT_DEVICE_TO_BROKER -> proxy.apply(new Fault.CutOneDirection(Direction.UPSTREAM));
            case CUT_BROKER_TO_DEVICE -> proxy.apply(new Fault.CutOneDirection(Direction.DOWNSTREAM));
            case BROKER_RESTART -> broker.restart();
        }
    }

    /** Undoes a lasting fault (called once the device has noticed the dead link); the rest heal by themselves. */
    void recover(FaultProxy proxy) {
        if (lasting()) {
            proxy.clear();
        }
    }
}

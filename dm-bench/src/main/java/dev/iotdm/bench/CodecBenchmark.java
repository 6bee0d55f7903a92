package dev.iotdm.bench;

import com.google.gson.JsonElement;
import dev.iotdm.bench.ReferencePayloads.Payload;
import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.message.Message;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1 as single-operation JMH benchmarks, one per variant of the ratio runner's codec table, for
 * {@code -prof gc} allocation figures and profiles:
 * {@code java -jar dm-bench/target/dm-bench.jar jmh -prof gc -p payload=addLog-zoneless CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    /** The reference payload, by name (see reference-payloads.txt). */
    @Param({"manage", "unmanage", "location", "location-zoneless", "addErrorCode", "addLog", "addLog-zoneless",
        "clearLog", "notify", "notify-single", "platform-response", "device-response", "firmware-update",
        "location-push", "observe", "reboot", "custom-action"})
    public String payload;

    private final Codec codec = Codec.standard();
    private String topic;
    private byte[] bytes;
    private Message message;
    private Class<? extends CodecRivals.Envelope> pojoType;
    private CodecRivals.Envelope pojo;
    private JsonElement gsonTree;
    private List<CodecRivals.Token> tokens;

    /** Reads the payload and prepares what the encoders write. */
    @Setup
    public void setUp() throws IOException {
        Payload p = ReferencePayloads.named(payload);
        topic = p.topic();
        bytes = p.payload();
        message = CodecRatios.decoded(p);
        pojoType = CodecRivals.pojoClass(topic);
        pojo = CodecRivals.readPojo(bytes, pojoType);
        gsonTree = CodecRivals.gsonTree(bytes);
        tokens = CodecRivals.tokens(bytes);
    }

    /** Floor: every token, no value. */
    @Benchmark
    public int scan() throws IOException {
        return CodecRivals.scan(bytes);
    }

    /** Floor of decode: every token and value. */
    @Benchmark
    public long scanValues() throws IOException {
        return CodecRivals.scanValues(bytes);
    }

    /** Our decoder. */
    @Benchmark
    public Object decode() {
        return codec.decode(topic, bytes);
    }

    /** jackson-databind tree. */
    @Benchmark
    public Object databindTree() throws IOException {
        return CodecRivals.readTree(bytes);
    }

    /** jackson-databind POJO mapping. */
    @Benchmark
    public Object databindPojo() throws IOException {
        return CodecRivals.readPojo(bytes, pojoType);
    }

    /** Gson tree with every value pulled out. */
    @Benchmark
    public long gsonExtract() {
        return CodecRivals.gsonExtract(bytes);
    }

    /** Floor of encode: a generator writing the same tokens. */
    @Benchmark
    public byte[] generate() throws IOException {
        return CodecRivals.generate(tokens);
    }

    /** Our encoder. */
    @Benchmark
    public Object encode() {
        return codec.encode(message);
    }

    /** jackson-databind POJO writing. */
    @Benchmark
    public byte[] databindWrite() throws IOException {
        return CodecRivals.writePojo(pojo);
    }

    /** Gson tree writing. */
    @Benchmark
    public byte[] gsonWrite() {
        return CodecRivals.gsonWrite(gsonTree);
    }
}

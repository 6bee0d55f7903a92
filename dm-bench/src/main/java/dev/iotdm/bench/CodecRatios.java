package dev.iotdm.bench;

import com.google.gson.JsonElement;
import dev.iotdm.bench.Ratios.Result;
import dev.iotdm.bench.Ratios.Settings;
import dev.iotdm.bench.Ratios.Variant;
import dev.iotdm.bench.ReferencePayloads.Payload;
import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.DecodeResult;
import dev.iotdm.protocol.codec.Decoded;
import dev.iotdm.protocol.message.Message;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * P1: decode and encode of every reference payload against the jackson-core floors and the
 * databind and Gson rivals, interleaved in one JVM.
 */
final class CodecRatios {

    /** Targets of issue #15. */
    static final double DECODE_OVER_VALUE_SCAN = 1.3;
    static final double RIVAL_OVER_CODEC = 2.0;

    private CodecRatios() {
    }

    /** The message a payload decodes to; fails loudly when it does not decode. */
    static Message decoded(Payload p) {
        DecodeResult r = Codec.standard().decode(p.topic(), p.payload());
        if (!(r instanceof Decoded d)) {
            throw new IllegalStateException("reference payload " + p.name() + " does not decode: " + r);
        }
        return d.message();
    }

    static void run(PrintStream out, Settings settings) throws Exception {
        List<List<String>> decodeRows = new ArrayList<>();
        List<List<String>> encodeRows = new ArrayList<>();
        int decodeMisses = 0;
        int rivalMisses = 0;
        warmUp(settings);
        for (Payload p : ReferencePayloads.all()) {
            byte[] bytes = p.payload();

            Result d = Ratios.run(decodeVariants(p), settings);
            Ratios.Spread overValues = d.ratio("codec", "values");
            Ratios.Spread pojoOver = d.ratio("pojo", "codec");
            Ratios.Spread gsonOver = d.ratio("gson", "codec");
            decodeMisses += overValues.median() > DECODE_OVER_VALUE_SCAN ? 1 : 0;
            rivalMisses += pojoOver.median() < RIVAL_OVER_CODEC || gsonOver.median() < RIVAL_OVER_CODEC ? 1 : 0;
            decodeRows.add(List.of(p.name(), overValues.ratio(), d.ratio("codec", "scan").ratio(),
                    d.ratio("checked", "values").ratio(), bytes(d, "codec"), bytes(d, "values"), bytes(d, "checked"),
                    d.ratio("tree", "codec").ratio(), pojoOver.ratio(),
                    gsonOver.ratio()));

            Result e = Ratios.run(encodeVariants(p), settings);
            Ratios.Spread pojoEnc = e.ratio("pojo", "codec");
            Ratios.Spread gsonEnc = e.ratio("gson", "codec");
            rivalMisses += pojoEnc.median() < RIVAL_OVER_CODEC || gsonEnc.median() < RIVAL_OVER_CODEC ? 1 : 0;
            encodeRows.add(List.of(p.name(), e.ratio("codec", "gen").ratio(), bytes(e, "codec"), bytes(e, "gen"),
                    pojoEnc.ratio(), gsonEnc.ratio()));
        }
        out.println("P1 decode: Codec.decode against the floors (ratio = time / time of the named variant,"
                + " median [p25-p75] over rounds; values = jackson-core scan reading every value, checked = the same"
                + " with the codec's checks: strict UTF-8, duplicate keys, limits, UTF-16)");
        out.print(Ratios.table(List.of("payload", "codec/values (<=1.3)", "codec/scan", "checked/values", "codec B/op",
                "values B/op", "checked B/op",
                "tree/codec", "pojo/codec (>=2)", "gson/codec (>=2)"), decodeRows));
        out.println();
        out.println("P1 encode: Codec.encode against a jackson-core generator writing the same tokens");
        out.print(Ratios.table(List.of("payload", "codec/gen", "codec B/op", "gen B/op", "pojo/codec (>=2)",
                "gson/codec (>=2)"), encodeRows));
        out.println();
        out.printf("P1 targets: decode <= %.1fx the value scan missed on %d of %d payloads;"
                + " rivals >= %.1fx slower missed on %d of %d decode+encode rows%n", DECODE_OVER_VALUE_SCAN,
                decodeMisses, decodeRows.size(), RIVAL_OVER_CODEC, rivalMisses, decodeRows.size() * 2);
    }

    /** The decode variants of one payload: floors, our codec, the rivals. */
    static List<Variant> decodeVariants(Payload p) {
        Codec codec = Codec.standard();
        byte[] bytes = p.payload();
        String topic = p.topic();
        Class<? extends CodecRivals.Envelope> pojoType = CodecRivals.pojoClass(topic);
        return List.of(
                new Variant("scan", () -> CodecRivals.scan(bytes)),
                new Variant("values", () -> CodecRivals.scanValues(bytes)),
                new Variant("checked", () -> CodecRivals.scanValuesChecked(bytes)),
                new Variant("codec", () -> codec.decode(topic, bytes)),
                new Variant("tree", () -> CodecRivals.readTree(bytes)),
                new Variant("pojo", () -> CodecRivals.readPojo(bytes, pojoType)),
                new Variant("gson", () -> CodecRivals.gsonExtract(bytes)));
    }

    /** The encode variants of one payload: the generator floor, our codec, the rivals. */
    static List<Variant> encodeVariants(Payload p) throws Exception {
        Codec codec = Codec.standard();
        byte[] bytes = p.payload();
        Message message = decoded(p);
        CodecRivals.Envelope pojo = CodecRivals.readPojo(bytes, CodecRivals.pojoClass(p.topic()));
        JsonElement gsonTree = CodecRivals.gsonTree(bytes);
        List<CodecRivals.Token> tokens = CodecRivals.tokens(bytes);
        return List.of(
                new Variant("gen", () -> CodecRivals.generate(tokens)),
                new Variant("codec", () -> codec.encode(message)),
                new Variant("pojo", () -> CodecRivals.writePojo(pojo)),
                new Variant("gson", () -> CodecRivals.gsonWrite(gsonTree)));
    }

    /**
     * Runs every codec path on every payload before anything is measured, then one unreported
     * ratio run, so the first payloads are not timed while the JIT is still compiling the shared
     * code or the runner itself.
     */
    private static void warmUp(Settings settings) throws Exception {
        Codec codec = Codec.standard();
        long until = System.nanoTime() + settings.batchNanos() * 1500;
        do {
            for (Payload p : ReferencePayloads.all()) {
                Message m = decoded(p);
                codec.encode(m);
                CodecRivals.scan(p.payload());
                CodecRivals.scanValues(p.payload());
                CodecRivals.scanValuesChecked(p.payload());
                CodecRivals.readTree(p.payload());
                CodecRivals.writePojo(CodecRivals.readPojo(p.payload(), CodecRivals.pojoClass(p.topic())));
                CodecRivals.gsonWrite(CodecRivals.gsonTree(p.payload()));
                CodecRivals.gsonExtract(p.payload());
                CodecRivals.generate(CodecRivals.tokens(p.payload()));
            }
        } while (System.nanoTime() < until);
        Payload first = ReferencePayloads.all().get(0);
        Settings once = new Settings(settings.warmupRounds(), 1, settings.repeats(), settings.batchNanos());
        Ratios.run(decodeVariants(first), once);
        Ratios.run(encodeVariants(first), once);
    }

    private static String bytes(Result r, String variant) {
        return String.format("%.0f", r.bytesPerOp(variant));
    }
}

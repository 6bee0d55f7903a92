package dev.iotdm.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.iotdm.architecture.Modules.MAIN;
import static dev.iotdm.architecture.Modules.PROTOCOL;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.TimerTask;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * dm-protocol's purity list (issue #9 item 1): a sans-I/O core owns no socket, file, thread, clock,
 * random source or logger, and its exported API shows no Jackson type. Each rule names what the
 * core takes as an input instead.
 */
class ProtocolPurityTest {

    private static final String JACKSON = "com.fasterxml.jackson..";

    @Test
    void no_networking_except_uri() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().dependOnClassesThat(resideInAPackage("java.net..")
                        .and(describe("not URI or URISyntaxException",
                                c -> !c.isEquivalentTo(URI.class) && !c.isEquivalentTo(URISyntaxException.class))))
                .because("the transport owns the network; the core only names firmware URIs")
                .check(MAIN);
    }

    @Test
    void no_channels_no_files() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().dependOnClassesThat(resideInAnyPackage("java.nio.channels..", "java.nio.file..")
                        .or(resideInAPackage("java.io").and(simpleNameStartingWith("File"))))
                .because("persistence is a DeviceStateStore the caller supplies (dm-client's FileStateStore)")
                .check(MAIN);
    }

    @Test
    void no_threads_or_executors() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().dependOnClassesThat(assignableTo(Thread.class)
                        .or(assignableTo(Executor.class))
                        .or(equivalentTo(Executors.class))
                        .or(equivalentTo(ThreadFactory.class))
                        .or(equivalentTo(Timer.class))
                        .or(equivalentTo(TimerTask.class)))
                .because("one owner drives the engine serially; the driver in dm-client owns the executors")
                .check(MAIN);
    }

    @Test
    void completable_futures_are_values_never_scheduled() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().callCodeUnitWhere(describe("a CompletableFuture method that runs on a pool or a timer",
                        (JavaCall<?> call) -> call.getTargetOwner().isEquivalentTo(CompletableFuture.class)
                                && (call.getName().endsWith("Async")
                                        || Set.of("delayedExecutor", "orTimeout", "completeOnTimeout")
                                                .contains(call.getName()))))
                .because("*Async stages and timeouts start threads of the common pool and its delayer")
                .check(MAIN);
    }

    @Test
    void no_clock() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().dependOnClassesThat(equivalentTo(Clock.class).or(equivalentTo(InstantSource.class)))
                .orShould().callMethodWhere(describe("a method named now()", call -> call.getName().equals("now")))
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .because("time is an input (tick(now)), which makes virtual time and deterministic tests possible")
                .check(MAIN);
    }

    @Test
    void no_randomness_of_its_own() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().callMethod(UUID.class, "randomUUID")
                .orShould().callConstructorWhere(describe("a constructor of Random, SecureRandom or SplittableRandom",
                        call -> call.getTargetOwner().isAssignableTo(Random.class)
                                || call.getTargetOwner().isEquivalentTo(SplittableRandom.class)))
                .orShould().callMethod(ThreadLocalRandom.class, "current")
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(StrictMath.class, "random")
                .orShould().callMethodWhere(describe("a RandomGenerator or RandomGeneratorFactory factory",
                        call -> (call.getTargetOwner().isEquivalentTo(RandomGenerator.class)
                                        || call.getTargetOwner().isEquivalentTo(RandomGeneratorFactory.class))
                                && Set.of("of", "getDefault", "create").contains(call.getName())))
                .because("request ids and jitter come from suppliers the caller passes in (dm-client has the defaults)")
                .check(MAIN);
    }

    @Test
    void no_logging() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.slf4j..", "java.util.logging..", "org.apache.logging..", "org.apache.commons.logging..",
                        "ch.qos.logback..")
                .orShould().dependOnClassesThat().belongToAnyOf(System.Logger.class)
                .orShould().callMethod(System.class, "getLogger", String.class)
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .because("the core reports through events and typed outcomes; the driver logs them")
                .check(MAIN);
    }

    @Test
    void no_jackson_type_in_a_public_signature_of_an_exported_package() {
        Set<String> exported = exportedPackages("dev.iotdm.protocol");
        classes().that().resideInAPackage(PROTOCOL)
                .and(describe("are in a package module dev.iotdm.protocol exports " + exported,
                        c -> exported.contains(c.getPackageName())))
                .and(describe("are accessible from outside the package", ProtocolPurityTest::accessible))
                .should(notShowJacksonInTheirSignature())
                .because("a user embeds dm-protocol without compiling against Jackson (no requires transitive)")
                .check(MAIN);
    }

    /** Superclass, interfaces and every public or protected member's types, generics included. */
    private static ArchCondition<JavaClass> notShowJacksonInTheirSignature() {
        return new ArchCondition<>("not show a Jackson type in their public signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                Stream.Builder<Item> items = Stream.builder();
                type.getSuperclass().ifPresent(s -> items.add(new Item(type.getName() + " extends", s)));
                type.getInterfaces().forEach(i -> items.add(new Item(type.getName() + " implements", i)));
                for (JavaField field : type.getFields()) {
                    if (visible(field)) {
                        items.add(new Item(field.getFullName(), field.getType()));
                    }
                }
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (visible(unit)) {
                        items.add(new Item(unit.getFullName() + " returns", unit.getReturnType()));
                        unit.getParameterTypes().forEach(p -> items.add(new Item(unit.getFullName() + " takes", p)));
                        unit.getThrowsClause().getTypes().forEach(t -> items.add(new Item(unit.getFullName() + " throws", t)));
                    }
                }
                items.build().forEach(item -> item.type().getAllInvolvedRawTypes().stream()
                        .filter(resideInAPackage(JACKSON))
                        .forEach(jackson -> events.add(SimpleConditionEvent.violated(type,
                                item.where() + " " + jackson.getName()))));
            }
        };
    }

    private record Item(String where, JavaType type) {
    }

    private static boolean visible(JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static boolean accessible(JavaClass type) {
        Set<JavaModifier> modifiers = type.getModifiers();
        boolean own = modifiers.contains(JavaModifier.PUBLIC)
                || (type.isNestedClass() && modifiers.contains(JavaModifier.PROTECTED));
        return own && type.getEnclosingClass().map(ProtocolPurityTest::accessible).orElse(true);
    }

    /** Reads the exports of one module's descriptor on the class path, so the rule follows module-info.java. */
    static Set<String> exportedPackages(String moduleName) {
        try {
            Enumeration<URL> descriptors = ProtocolPurityTest.class.getClassLoader().getResources("module-info.class");
            while (descriptors.hasMoreElements()) {
                try (InputStream in = descriptors.nextElement().openStream()) {
                    ModuleDescriptor descriptor = ModuleDescriptor.read(in);
                    if (descriptor.name().equals(moduleName)) {
                        return descriptor.exports().stream()
                                .filter(e -> !e.isQualified())
                                .map(ModuleDescriptor.Exports::source)
                                .collect(Collectors.toCollection(LinkedHashSet::new));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no module-info.class of " + moduleName + " on the test class path;"
                + " dm-protocol's jar must carry its module descriptor");
    }
}

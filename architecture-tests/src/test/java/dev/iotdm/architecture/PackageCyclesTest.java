package dev.iotdm.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.iotdm.architecture.Modules.MAIN;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the main code depend on each other, in any module. A package's own
 * {@code internal} subpackage is the hidden half of that package (the model: the HiveMQ client's
 * API builders return {@code ...internal} implementations), so it is one slice with its parent:
 * {@code protocol.json} and {@code protocol.json.internal} may call each other, but neither may
 * form a cycle with any other package, e.g. {@code protocol.message} with {@code protocol.firmware}.
 */
class PackageCyclesTest {

    /** One slice per package, a trailing {@code .internal} folded into its parent. */
    private static final SliceAssignment PACKAGE_WITH_ITS_INTERNALS = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (!pkg.startsWith("dev.iotdm.")) {
                return SliceIdentifier.ignore();
            }
            int internal = pkg.indexOf(".internal");
            return SliceIdentifier.of(internal > 0 && !pkg.equals("dev.iotdm.protocol.internal")
                    ? pkg.substring(0, internal) : pkg);
        }

        @Override
        public String getDescription() {
            return "packages of dev.iotdm, each with its own internal subpackage";
        }
    };

    @Test
    void no_package_cycles() {
        slices().assignedFrom(PACKAGE_WITH_ITS_INTERNALS)
                .should().beFreeOfCycles()
                .because("a cycle makes two packages one unit that cannot be exported or split apart")
                .check(MAIN);
    }
}

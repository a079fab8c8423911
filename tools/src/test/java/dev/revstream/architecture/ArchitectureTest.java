package dev.revstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies, checked on the compiled classes of every module: the domain (core) sees
 * no framework and no other module; shared code sees no deployable; the job sees none of its consumers;
 * and no two packages depend on each other.
 */
class ArchitectureTest {
    /** The core's packages: the plain-Java domain. */
    private static final String[] CORE = {
        "dev.revstream.model..",
        "dev.revstream.ingest..",
        "dev.revstream.journey..",
        "dev.revstream.actions..",
        "dev.revstream.kpi..",
        "dev.revstream.forecast..",
        "dev.revstream.identity..",
        "dev.revstream.attribution..",
        "dev.revstream.quality..",
        "dev.revstream.alerts..",
        "dev.revstream.time.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // the other modules' test jars
                .importPackages("dev.revstream");
        // every module's classes are on this module's class path: the rules below must see all of them
        for (String module : new String[] {
            "dev.revstream.journey.Journey",
            "dev.revstream.config.RevstreamConfig",
            "dev.revstream.job.RevstreamJob",
            "dev.revstream.router.AlertRouter",
            "dev.revstream.wallboard.Wallboard",
            "dev.revstream.tools.cli.Revstream"
        }) {
            if (!classes.contain(module)) {
                throw new AssertionError("not imported: " + module);
            }
        }
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching("dev.revstream.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theDomainSeesNoFrameworkAndNoOtherModule() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.flink..",
                        "org.apache.kafka..",
                        "picocli..",
                        "io.javalin..",
                        "dev.failsafe..",
                        "org.apache.parquet..",
                        "org.apache.hadoop..",
                        "dev.revstream.config..",
                        "dev.revstream.kafka..",
                        "dev.revstream.cli..",
                        "dev.revstream.job..",
                        "dev.revstream.router..",
                        "dev.revstream.wallboard..",
                        "dev.revstream.tools..")
                .check(classes);
    }

    @Test
    void sharedCodeSeesNoDeployable() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.revstream.config..", "dev.revstream.kafka..", "dev.revstream.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.flink..",
                        "dev.revstream.job..",
                        "dev.revstream.router..",
                        "dev.revstream.wallboard..",
                        "dev.revstream.tools..")
                .check(classes);
    }

    @Test
    void theJobSeesNoneOfItsConsumersOrTools() {
        noClasses()
                .that()
                .resideInAPackage("dev.revstream.job..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.revstream.router..",
                        "dev.revstream.wallboard..",
                        "dev.revstream.tools..",
                        "io.javalin..",
                        "dev.failsafe..")
                .check(classes);
    }

    @Test
    void theConsumersSeeNeitherTheJobNorFlink() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.revstream.router..", "dev.revstream.wallboard..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "dev.revstream.job..", "dev.revstream.tools..")
                .check(classes);
    }

    @Test
    void theRulesReadTheAccountAndTheAccountDoesNotKnowTheRules() {
        noClasses()
                .that()
                .resideInAPackage("dev.revstream.journey..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.revstream.actions..")
                .check(classes);
    }
}

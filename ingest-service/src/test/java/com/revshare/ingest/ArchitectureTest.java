package com.revshare.ingest;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Ingest's layers, checked (issue 11.2, buckpal's DependencyRuleTests as the model): api → application →
 * domain; messaging and persistence are adapters that application reaches only through the ports it owns
 * ({@code UsageEventStorage}, {@code IntakeStorage}, {@code ControlStorage}, {@code OutboxSignal},
 * {@code RejectionSink}; the domain's own {@code RecordReader}); nothing reaches an adapter or the api;
 * no cycle between the top-level packages; the domain is pure Java. The last two tests run the same rules
 * over classes that break them, so a rule that could no longer fail would be noticed.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.revshare.ingest");

    /** The layers by package role; a class outside every layer (there is none today) is not constrained. */
    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy("..api..")
                .layer("Application").definedBy("..application..")
                .layer("Domain").definedBy("..domain..")
                .layer("Messaging").definedBy("..messaging..")
                .layer("Persistence").definedBy("..persistence..")
                .layer("Config").definedBy("..config..")
                .whereLayer("Api").mayNotBeAccessedByAnyLayer()
                .whereLayer("Messaging").mayNotBeAccessedByAnyLayer()
                .whereLayer("Persistence").mayNotBeAccessedByAnyLayer()
                .whereLayer("Application").mayOnlyBeAccessedByLayers("Api", "Messaging", "Persistence")
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("Application", "Api", "Messaging", "Persistence",
                        "Config")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Application", "Api", "Messaging", "Persistence");
    }

    static ArchRule noCycles() {
        return slices().matching("com.revshare.ingest.(*)..").should().beFreeOfCycles();
    }

    static ArchRule pureDomain() {
        return noClasses().that().resideInAPackage("..domain..").should().dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "jakarta..", "javax..", "com.fasterxml..", "org.apache.kafka..",
                        "java.sql..", "io.agroal..", "io.micrometer..", "io.smallrye..", "org.eclipse..",
                        "org.hibernate..", "io.vertx..", "org.jboss..");
    }

    @Test
    void layersDependOnlyInward() {
        layers().check(CLASSES);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        noCycles().check(CLASSES);
    }

    @Test
    void domainDependsOnNoFramework() {
        pureDomain().check(CLASSES);
    }

    @Test
    void domainNeverReadsTheClock() {
        noClasses().that().resideInAPackage("..ingest.domain..").should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
                .check(CLASSES);
    }

    /** The archfixture classes repeat the violations issue 11.2 lists: application → persistence, api → messaging. */
    @Test
    void theLayerRuleCatchesAnApplicationCallingAnAdapter() {
        AssertionError e = assertThrows(AssertionError.class, () -> layers().check(fixture()));
        assertTrue(e.getMessage().contains("archfixture.application.Service") && e.getMessage().contains(
                "archfixture.persistence.Store"), e::getMessage);
        assertTrue(e.getMessage().contains("archfixture.api.Resource") && e.getMessage().contains(
                "archfixture.messaging.Relay"), e::getMessage);
    }

    @Test
    void theCycleAndPurityRulesCatchTheirViolations() {
        AssertionError cycle = assertThrows(AssertionError.class,
                () -> slices().matching("com.revshare.ingest.archfixture.(*)..").should().beFreeOfCycles()
                        .check(fixture()));
        assertTrue(cycle.getMessage().contains("application") && cycle.getMessage().contains("persistence"),
                cycle::getMessage);
        AssertionError impure = assertThrows(AssertionError.class, () -> pureDomain().check(fixture()));
        assertTrue(impure.getMessage().contains("archfixture.domain.Parsed"), impure::getMessage);
    }

    private static JavaClasses fixture() {
        return new ClassFileImporter().importPackages("com.revshare.ingest.archfixture");
    }
}

package com.revshare.reporting;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The service's layers, checked (issue 11.2; buckpal's DependencyRuleTests is the model):
 * {@code api → application → domain}; {@code persistence} and {@code messaging} are adapters that
 * implement ports owned by {@code application} and are used by nobody; {@code domain} is pure Java
 * (no framework, no clock, nothing of the service); no package cycles.
 */
class ArchitectureTest {
    private static final String ROOT = "com.revshare.reporting";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void layersDependOnlyInward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy(ROOT + ".api..")
                .layer("application").definedBy(ROOT + ".application..")
                .layer("domain").definedBy(ROOT + ".domain..")
                .layer("persistence").definedBy(ROOT + ".persistence..")
                .layer("messaging").definedBy(ROOT + ".messaging..")
                .layer("config").definedBy(ROOT + ".config..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("persistence").mayNotBeAccessedByAnyLayer()
                .whereLayer("messaging").mayNotBeAccessedByAnyLayer()
                .whereLayer("application").mayOnlyBeAccessedByLayers("api", "persistence", "messaging")
                .whereLayer("domain").mayOnlyBeAccessedByLayers("application", "api", "persistence", "messaging")
                .whereLayer("config").mayOnlyBeAccessedByLayers("application", "api", "persistence", "messaging")
                .check(CLASSES);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void domainDependsOnNoFramework() {
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax..", "io.quarkus..",
                        "io.smallrye..", "io.agroal..", "org.apache.kafka..", "com.fasterxml..", "java.sql..",
                        "org.hibernate..", "io.micrometer..", "org.jboss..", "org.eclipse..",
                        ROOT + ".application..", ROOT + ".api..", ROOT + ".messaging..", ROOT + ".persistence..",
                        ROOT + ".config..")
                .check(CLASSES);
    }

    @Test
    void domainReadsNoClock() {
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
                .check(CLASSES);
    }
}

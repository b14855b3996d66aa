package com.revshare.reporting;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The service's layers, checked (issue 11.2; buckpal's DependencyRuleTests is the model):
 * {@code api → application → domain}; {@code persistence} and {@code messaging} are adapters that
 * implement ports owned by {@code application} and are used by nobody; {@code application} holds no
 * SQL and no JDBC type (a port names none); {@code domain} is pure Java (no framework, no clock,
 * nothing of the service); no package cycles. The rules take the root package as a parameter so
 * that {@code ArchitectureRulesCatchViolationsTest} can show each of them failing on a fixture.
 */
class ArchitectureTest {
    static final String ROOT = "com.revshare.reporting";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    static ArchRule layersDependOnlyInward(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy(root + ".api..")
                .layer("application").definedBy(root + ".application..")
                .layer("domain").definedBy(root + ".domain..")
                .layer("persistence").definedBy(root + ".persistence..")
                .layer("messaging").definedBy(root + ".messaging..")
                .layer("config").definedBy(root + ".config..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("persistence").mayNotBeAccessedByAnyLayer()
                .whereLayer("messaging").mayNotBeAccessedByAnyLayer()
                .whereLayer("application").mayOnlyBeAccessedByLayers("api", "persistence", "messaging")
                .whereLayer("domain").mayOnlyBeAccessedByLayers("application", "api", "persistence", "messaging")
                .whereLayer("config").mayOnlyBeAccessedByLayers("application", "api", "persistence", "messaging")
                // a fixture holds only the layers its violation needs
                .withOptionalLayers(true);
    }

    static ArchRule packagesAreFreeOfCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** SQL and JDBC belong to {@code persistence}: a use case or a port that names them is an adapter's leak. */
    static ArchRule applicationHoldsNoSql(String root) {
        return noClasses().that().resideInAPackage(root + ".application..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "io.agroal..",
                        "jakarta.persistence..", "org.hibernate..", "io.quarkus.hibernate..", "org.postgresql..")
                .because("SQL lives in persistence, behind a port that application owns (issue 11.2)");
    }

    static ArchRule domainDependsOnNoFramework(String root) {
        return noClasses().that().resideInAPackage(root + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax..", "io.quarkus..",
                        "io.smallrye..", "io.agroal..", "org.apache.kafka..", "com.fasterxml..", "java.sql..",
                        "org.hibernate..", "io.micrometer..", "org.jboss..", "org.eclipse..",
                        root + ".application..", root + ".api..", root + ".messaging..", root + ".persistence..",
                        root + ".config..");
    }

    static ArchRule domainReadsNoClock(String root) {
        return noClasses().that().resideInAPackage(root + ".domain..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class);
    }

    @Test
    void layersDependOnlyInward() {
        layersDependOnlyInward(ROOT).check(CLASSES);
    }

    @Test
    void packagesAreFreeOfCycles() {
        packagesAreFreeOfCycles(ROOT).check(CLASSES);
    }

    @Test
    void applicationHoldsNoSql() {
        applicationHoldsNoSql(ROOT).check(CLASSES);
    }

    @Test
    void domainDependsOnNoFramework() {
        domainDependsOnNoFramework(ROOT).check(CLASSES);
    }

    @Test
    void domainReadsNoClock() {
        domainReadsNoClock(ROOT).check(CLASSES);
    }
}

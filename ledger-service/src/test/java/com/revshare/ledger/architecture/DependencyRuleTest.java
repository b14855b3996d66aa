package com.revshare.ledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The domain is pure Java: no framework, no JDBC, no Kafka, no Jackson, and it never reaches outward. */
class DependencyRuleTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.revshare.ledger");

    @Test
    void domainHasNoFrameworkImports() {
        noClasses().that().resideInAPackage("com.revshare.ledger.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax..", "io.quarkus..",
                        "io.smallrye..", "com.fasterxml..", "org.apache.kafka..", "java.sql..", "org.hibernate..",
                        "io.agroal..", "io.micrometer..", "org.eclipse.microprofile..")
                .check(CLASSES);
    }

    @Test
    void domainDependsOnNoOtherLayer() {
        noClasses().that().resideInAPackage("com.revshare.ledger.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("com.revshare.ledger.application..",
                        "com.revshare.ledger.api..", "com.revshare.ledger.messaging..",
                        "com.revshare.ledger.persistence..", "com.revshare.ledger.config..")
                .check(CLASSES);
    }

    @Test
    void domainReadsNoClock() {
        noClasses().that().resideInAPackage("com.revshare.ledger.domain..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(CLASSES);
    }
}

package com.revshare.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The domain stays pure Java: no framework, serialization, messaging, persistence or clock access. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.revshare.ingest");

    @Test
    void domainDependsOnNoFramework() {
        noClasses().that().resideInAPackage("..ingest.domain..").should().dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "jakarta..", "javax..", "com.fasterxml..", "org.apache.kafka..",
                        "java.sql..", "io.agroal..", "io.micrometer..", "io.smallrye..", "org.eclipse..",
                        "org.hibernate..")
                .check(CLASSES);
    }

    @Test
    void domainDependsOnNoOtherLayer() {
        noClasses().that().resideInAPackage("..ingest.domain..").should().dependOnClassesThat()
                .resideInAnyPackage("..ingest.application..", "..ingest.api..", "..ingest.messaging..",
                        "..ingest.persistence..", "..ingest.config..")
                .check(CLASSES);
    }

    @Test
    void domainNeverReadsTheClock() {
        noClasses().that().resideInAPackage("..ingest.domain..").should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
                .check(CLASSES);
    }
}

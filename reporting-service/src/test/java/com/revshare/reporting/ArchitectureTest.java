package com.revshare.reporting;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The domain stays pure Java: no framework, messaging, database or JSON types, no clock. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.revshare.reporting");

    @Test
    void domainDependsOnNoFramework() {
        noClasses().that().resideInAPackage("com.revshare.reporting.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax..", "io.quarkus..",
                        "io.smallrye..", "io.agroal..", "org.apache.kafka..", "com.fasterxml..", "java.sql..",
                        "org.hibernate..", "io.micrometer..", "org.jboss..", "org.eclipse..",
                        "com.revshare.reporting.application..", "com.revshare.reporting.api..",
                        "com.revshare.reporting.messaging..", "com.revshare.reporting.persistence..",
                        "com.revshare.reporting.config..")
                .check(CLASSES);
    }

    @Test
    void domainReadsNoClock() {
        noClasses().that().resideInAPackage("com.revshare.reporting.domain..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
                .check(CLASSES);
    }
}

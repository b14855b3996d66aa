package com.revshare.reporting;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

/**
 * {@link ArchitectureTest}'s rules can fail: each violation issue 11.2 lists for reporting is
 * written once in a fixture package ({@code archfixture.*}, test code only) and the rule that
 * guards against it must reject that fixture, naming the offending class. Were a rule loosened
 * (a layer allowed, a package pattern mistyped), its case here would fail.
 */
class ArchitectureRulesCatchViolationsTest {
    private static final String FIXTURES = ArchitectureTest.ROOT + ".archfixture.";

    private static void assertRejects(Function<String, ArchRule> rule, String fixture, String offender) {
        String root = FIXTURES + fixture;
        JavaClasses classes = new ClassFileImporter().importPackages(root);
        assertTrue(classes.size() >= 1, "fixture " + root + " not on the test classpath");
        AssertionError rejected = assertThrows(AssertionError.class, () -> rule.apply(root).check(classes),
                "the rule accepted the fixture " + root);
        assertTrue(rejected.getMessage().contains(root + "." + offender),
                "the rule failed without naming " + offender + ":\n" + rejected.getMessage());
    }

    @Test
    void sqlInsideAUseCaseIsRejected() {
        assertRejects(ArchitectureTest::applicationHoldsNoSql, "sqlinapplication", "application.RebuildService");
    }

    @Test
    void aPersistenceRowTypeInTheApiIsRejected() {
        assertRejects(ArchitectureTest::layersDependOnlyInward, "rowtypeinapi", "api.RebuildResource");
    }

    @Test
    void aStoreImportingAMessagingTypeIsRejected() {
        assertRejects(ArchitectureTest::layersDependOnlyInward, "partnerstoremessaging", "persistence.PartnerStore");
    }

    @Test
    void anApplicationMessagingCycleIsRejectedByBothRules() {
        assertRejects(ArchitectureTest::packagesAreFreeOfCycles, "applicationmessagingcycle",
                "application.RebuildService");
        assertRejects(ArchitectureTest::layersDependOnlyInward, "applicationmessagingcycle",
                "application.RebuildService");
    }
}

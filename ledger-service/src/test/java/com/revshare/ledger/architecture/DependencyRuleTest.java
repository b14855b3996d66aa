package com.revshare.ledger.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The ledger's layers, checked (buckpal's {@code DependencyRuleTests} is the model):
 * <ul>
 * <li>{@code domain} is pure Java: no framework, no JDBC, no Kafka, no Jackson, no clock, and it
 * depends on no other package of the service;</li>
 * <li>{@code api} → {@code application} → {@code domain}; nothing depends on {@code api};</li>
 * <li>{@code messaging} is an adapter behind ports that {@code application} owns (e.g.
 * {@code OutboxSignal}): application never names a messaging class;</li>
 * <li>{@code persistence} is an adapter that no layer names: {@code application} declares the repository
 * interfaces it needs, one per aggregate and named for what it asks of it ({@code Partners},
 * {@code Entries}, {@code DecidedChanges}, {@code ProofSources}, {@code OutboxRows} for the relays …), the
 * persistence classes implement them and CDI injects them through the interfaces (buckpal's ports);
 * persistence may use application's port and record types, never api or messaging;</li>
 * <li>{@code config} (the {@code @ConfigMapping}s) may be read by every layer but the domain;</li>
 * <li>no cycles between the service's packages.</li>
 * </ul>
 * No dependency is ignored: where application needs an adapter it declares the port and the adapter
 * implements it ({@code OutboxSignal}, {@code PartnerChanges} and {@code AcceptedRecordReader} by messaging),
 * and api shows application's view types ({@code Partner}), never a persistence row.
 */
class DependencyRuleTest {
    private static final String BASE = "com.revshare.ledger";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void domainHasNoFrameworkImports() {
        noClasses().that().resideInAPackage(BASE + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax..", "io.quarkus..",
                        "io.smallrye..", "com.fasterxml..", "org.apache.kafka..", "java.sql..", "org.hibernate..",
                        "io.agroal..", "io.micrometer..", "org.eclipse.microprofile..")
                .check(CLASSES);
    }

    @Test
    void domainDependsOnNoOtherLayer() {
        noClasses().that().resideInAPackage(BASE + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + ".application..", BASE + ".api..",
                        BASE + ".messaging..", BASE + ".persistence..", BASE + ".config..")
                .check(CLASSES);
    }

    @Test
    void domainReadsNoClock() {
        noClasses().that().resideInAPackage(BASE + ".domain..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(CLASSES);
    }

    /**
     * SPEC §3 is decided in {@code domain} only: outside it nothing rounds money, reads the JDK's currency
     * table, compares periods (is it closed?) or asks which agreement version governs. A reader checks
     * "no §3 decision outside domain" by this rule (and {@code grep -rnE "setScale|RoundingMode|governingAt"}
     * over the other packages).
     */
    @Test
    void specSectionThreeIsDecidedOnlyInTheDomain() {
        noClasses().that().resideOutsideOfPackage(BASE + ".domain..")
                .should().callMethod(java.math.BigDecimal.class, "setScale", int.class, java.math.RoundingMode.class)
                .orShould().callMethod(java.math.BigDecimal.class, "setScale", int.class, int.class)
                .orShould().callMethod(java.math.BigDecimal.class, "round", java.math.MathContext.class)
                .orShould().callMethod(java.time.YearMonth.class, "isAfter", java.time.YearMonth.class)
                .orShould().callMethod(java.time.YearMonth.class, "isBefore", java.time.YearMonth.class)
                .orShould().callMethod(java.time.YearMonth.class, "compareTo", java.time.YearMonth.class)
                .orShould().callMethod(BASE + ".domain.PartnerLedger", "governingAt", "java.time.Instant")
                .orShould().callMethod(BASE + ".domain.PartnerLedger", "governingAtEnd", "java.time.YearMonth")
                .orShould().dependOnClassesThat().belongToAnyOf(java.util.Currency.class)
                .check(CLASSES);
    }

    /** The layers of the packages under {@code base}. */
    static ArchRule layers(String base) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy(base + ".api..")
                .layer("Application").definedBy(base + ".application..")
                .layer("Domain").definedBy(base + ".domain..")
                .layer("Persistence").definedBy(base + ".persistence..")
                .layer("Messaging").definedBy(base + ".messaging..")
                .layer("Config").definedBy(base + ".config..")
                .whereLayer("Api").mayNotBeAccessedByAnyLayer()
                .whereLayer("Messaging").mayNotBeAccessedByAnyLayer()
                .whereLayer("Persistence").mayNotBeAccessedByAnyLayer()
                .whereLayer("Application").mayOnlyBeAccessedByLayers("Api", "Messaging", "Persistence")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Api", "Application", "Persistence", "Messaging")
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("Api", "Application", "Persistence", "Messaging")
                .because("api → application → domain; messaging and persistence are adapters behind the ports "
                        + "application owns");
    }

    @Test
    void layersAreRespected() {
        layers(BASE).check(CLASSES);
    }

    /**
     * The rule can fail: the archfixture classes (test sources, outside {@code CLASSES}) have application and
     * messaging naming a persistence class, beside a persistence class implementing application's port.
     */
    @Test
    void theLayerRuleCatchesALayerNamingPersistence() {
        JavaClasses fixture = new ClassFileImporter().importPackages(BASE + ".archfixture");
        AssertionError e = assertThrows(AssertionError.class, () -> layers(BASE + ".archfixture").check(fixture));
        assertTrue(e.getMessage().contains("archfixture.application.Service")
                && e.getMessage().contains("archfixture.persistence.Repository"), e::getMessage);
        assertTrue(e.getMessage().contains("archfixture.messaging.Relay"), e::getMessage);
        assertFalse(e.getMessage().contains("archfixture.persistence.Repository> implements"), e::getMessage);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles()
                .check(CLASSES);
    }
}

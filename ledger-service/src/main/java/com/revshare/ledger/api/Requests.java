package com.revshare.ledger.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.revshare.ledger.domain.AgreementDraft;

/**
 * The request bodies of the ledger's API (SPEC §3.1, §3.3, §3.6–§3.8, §5) as DTO records, bound by
 * {@link Bodies#read}: every member is optional here and typed as the wire carries it (decimals as
 * strings, a JSON number accepted as its exact text); the rules on values (required, bounds,
 * formats) are the domain's, which answers each with a 400 naming the field.
 */
public final class Requests {
    private Requests() {
    }

    /** {@code PUT /api/v1/partners/{id}} (SPEC §5, §3.8). */
    @Schema(name = "PartnerBody", description = "A partner's name, settlement currency and payment terms")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PartnerBody(
            @Schema(required = true, examples = "Amazon Web Services") @JsonDeserialize(using = Bodies.Text.class) String name,
            @Schema(required = true, description = "ISO 4217 code", examples = "USD") @JsonDeserialize(using = Bodies.Text.class) String currency,
            @Schema(description = "0 … 365; absent keeps the current value (30 for a new partner)", examples = "30") @JsonDeserialize(using = Bodies.Int.class) Integer paymentTermsDays) {
    }

    /** {@code PUT /api/v1/fx-rates/{date}} (SPEC §3.3): 1 {@code base} = {@code rate} {@code quote}. */
    @Schema(name = "FxRateBody", description = "An FX rate of the date: 1 base = rate quote")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FxRateBody(
            @Schema(required = true, examples = "EUR") @JsonDeserialize(using = Bodies.Text.class) String base,
            @Schema(required = true, examples = "USD") @JsonDeserialize(using = Bodies.Text.class) String quote,
            @Schema(required = true, description = "decimal > 0, at most 6 integer and 10 fraction digits", examples = "1.0842") @JsonDeserialize(using = Bodies.Decimal.class) String rate) {
    }

    /** {@code POST /api/v1/partners/{id}/adjustments} (SPEC §3.7). */
    @Schema(name = "AdjustmentBody", description = "A manual adjustment to an OPEN period")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AdjustmentBody(
            @Schema(required = true, examples = "2026-11") @JsonDeserialize(using = Bodies.Text.class) String period,
            @Schema(required = true, description = "signed decimal, at most 18 integer and 8 fraction digits", examples = "-12.50") @JsonDeserialize(using = Bodies.Decimal.class) String amount,
            @Schema(required = true, description = "1 … 1000 code points") @JsonDeserialize(using = Bodies.Text.class) String memo) {
    }

    /** {@code POST /api/v1/partners/{id}/unrated/{eventId}/write-off} (SPEC §3.6). */
    @Schema(name = "WriteOffBody", description = "Why an unrated event is written off")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WriteOffBody(
            @Schema(required = true, description = "1 … 1000 code points") @JsonDeserialize(using = Bodies.Text.class) String memo) {
    }

    /** {@code POST /api/v1/partners/{id}/payments} (SPEC §3.8). */
    @Schema(name = "PaymentBody", description = "A payment received from the partner")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PaymentBody(
            @Schema(required = true, description = "1 … 64 of [A-Za-z0-9._:-], unique per partner", examples = "wire-2026-11-30-001") @JsonDeserialize(using = Bodies.Text.class) String paymentId,
            @Schema(required = true, description = "decimal > 0, at most the currency's minor-unit digits", examples = "1250.00") @JsonDeserialize(using = Bodies.Decimal.class) String amount,
            @Schema(required = true, description = "the partner's currency", examples = "USD") @JsonDeserialize(using = Bodies.Text.class) String currency,
            @Schema(required = true, description = "YYYY-MM-DD, not after today (UTC)", examples = "2026-11-30") @JsonDeserialize(using = Bodies.Text.class) String receivedOn,
            @Schema(description = "at most 1000 code points") @JsonDeserialize(using = Bodies.Text.class) String reference) {
    }

    /** {@code POST /api/v1/partners/{id}/agreements} (SPEC §3.1): an agreement version's terms. */
    @Schema(name = "AgreementBody", description = "An agreement version: its period of effect, currency, minimum, cap and rules")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AgreementBody(
            @Schema(required = true, examples = "2026-01-01T00:00:00Z") @JsonDeserialize(using = Bodies.Text.class) String effectiveFrom,
            @Schema(description = "open-ended when absent") @JsonDeserialize(using = Bodies.Text.class) String effectiveTo,
            @Schema(required = true, examples = "USD") @JsonDeserialize(using = Bodies.Text.class) String currency,
            @Schema(examples = "10000.00") @JsonDeserialize(using = Bodies.AgreementDecimal.class) String monthlyMinimum,
            @JsonDeserialize(using = Bodies.AgreementDecimal.class) String monthlyCap,
            @Schema(required = true) @JsonDeserialize(using = Bodies.Rules.class) List<RuleBody> rules) {

        /** The terms as the decider validates them. */
        AgreementDraft draft() {
            return new AgreementDraft(effectiveFrom, effectiveTo, currency, monthlyMinimum, monthlyCap,
                    rules == null ? null : rules.stream().map(RuleBody::draft).toList());
        }
    }

    /** One rating rule of an agreement (SPEC §3.1, §3.2). */
    @Schema(name = "RuleBody", description = "A rating rule: PER_UNIT, PERCENT_OF_REVENUE or TIERED")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RuleBody(
            @Schema(required = true) @JsonDeserialize(using = Bodies.Text.class) String id,
            @Schema(required = true, description = "a glob: only * is special", examples = "llama-3.1-405b*") @JsonDeserialize(using = Bodies.Text.class) String model,
            @Schema(required = true, examples = "output_tokens") @JsonDeserialize(using = Bodies.Text.class) String metric,
            @Schema(required = true, enumeration = {"PER_UNIT", "PERCENT_OF_REVENUE", "TIERED"}) @JsonDeserialize(using = Bodies.Text.class) String type,
            @JsonDeserialize(using = Bodies.AgreementDecimal.class) String rate,
            @JsonDeserialize(using = Bodies.AgreementDecimal.class) String unitPrice,
            @Schema(description = "a power of ten, 1 … 10^9") @JsonDeserialize(using = Bodies.AgreementDecimal.class) String unitSize,
            @Schema(enumeration = {"QUANTITY", "REVENUE"}) @JsonDeserialize(using = Bodies.Text.class) String basis,
            @Schema(enumeration = {"GRADUATED", "VOLUME"}) @JsonDeserialize(using = Bodies.Text.class) String mode,
            @JsonDeserialize(using = Bodies.Tiers.class) List<TierBody> tiers) {

        AgreementDraft.RuleDraft draft() {
            return new AgreementDraft.RuleDraft(id, model, metric, type, rate, unitPrice, unitSize, basis, mode,
                    tiers == null ? null : tiers.stream().map(TierBody::draft).toList());
        }
    }

    /** One tier of a TIERED rule (SPEC §3.2); the last {@code upTo} is null. */
    @Schema(name = "TierBody", description = "A tier: up to upTo of the basis at unitPrice/unitSize or rate")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TierBody(
            @JsonDeserialize(using = Bodies.AgreementDecimal.class) String upTo,
            @JsonDeserialize(using = Bodies.AgreementDecimal.class) String unitPrice,
            @JsonDeserialize(using = Bodies.AgreementDecimal.class) String unitSize,
            @JsonDeserialize(using = Bodies.AgreementDecimal.class) String rate) {

        AgreementDraft.TierDraft draft() {
            return new AgreementDraft.TierDraft(upTo, unitPrice, unitSize, rate);
        }
    }
}

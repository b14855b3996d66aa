package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of "add an agreement version" as text (SPEC §3.1), before validation. {@link #validate}
 * applies every rule of §3.1 and names the first offending field.
 */
public record AgreementDraft(String effectiveFrom, String effectiveTo, String currency, String monthlyMinimum,
        String monthlyCap, List<RuleDraft> rules) {

    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("0|[1-9][0-9]{0,18}");
    /** Only {@code *} is special (SPEC §3.1): any other visible ASCII character is a literal, even one no model has. */
    private static final Pattern MODEL_GLOB = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final Set<String> METRICS = Set.of("input_tokens", "output_tokens", "requests");

    /** One rule as text; fields that do not apply to its type may be null. */
    public record RuleDraft(String id, String model, String metric, String type, String rate, String unitPrice,
            String unitSize, String basis, String mode, List<TierDraft> tiers) {
    }

    /** One tier as text. */
    public record TierDraft(String upTo, String unitPrice, String unitSize, String rate) {
    }

    /** Validates the draft for a partner settling in {@code partnerCurrency} and builds the version. */
    public AgreementVersion validate(int version, String partnerCurrency, String actor, Instant now) {
        Instant from = instant("effectiveFrom", effectiveFrom, true);
        Instant to = instant("effectiveTo", effectiveTo, false);
        if (to != null && !to.isAfter(from)) {
            throw new InvalidFieldException("effectiveTo", "effectiveTo must be after effectiveFrom");
        }
        if (currency == null) {
            throw new InvalidFieldException("currency", "currency is required");
        }
        if (!currency.equals(partnerCurrency)) {
            throw new InvalidFieldException("currency",
                    "currency must equal the partner's settlement currency " + partnerCurrency);
        }
        BigDecimal minimum = decimal("monthlyMinimum", monthlyMinimum, Bounds.AMOUNT_FRACTION_DIGITS, Bounds.AMOUNT_INTEGER_DIGITS, false);
        BigDecimal cap = decimal("monthlyCap", monthlyCap, Bounds.AMOUNT_FRACTION_DIGITS, Bounds.AMOUNT_INTEGER_DIGITS, false);
        if (minimum != null && cap != null && minimum.compareTo(cap) > 0) {
            throw new InvalidFieldException("monthlyMinimum", "monthlyMinimum must not exceed monthlyCap");
        }
        if (rules == null) {
            throw new InvalidFieldException("rules", "rules is required");
        }
        List<RatingRule> built = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            RatingRule rule = rule("rules[" + i + "]", rules.get(i));
            if (!ids.add(rule.id())) {
                throw new InvalidFieldException("rules[" + i + "].id", "rule id " + rule.id() + " is not unique");
            }
            built.add(rule);
        }
        return new AgreementVersion(version, from, to, currency, minimum, cap, built, actor, now);
    }

    private static RatingRule rule(String at, RuleDraft r) {
        if (r == null) {
            throw new InvalidFieldException(at, at + " must be an object");
        }
        if (r.id() == null || r.id().isBlank() || r.id().length() > 128) {
            throw new InvalidFieldException(at + ".id", at + ".id must be 1..128 characters");
        }
        if (r.model() == null || !MODEL_GLOB.matcher(r.model()).matches()) {
            throw new InvalidFieldException(at + ".model",
                    at + ".model must be a glob of 1..128 visible ASCII characters where * matches any run");
        }
        if (r.metric() == null || !("*".equals(r.metric()) || METRICS.contains(r.metric()))) {
            throw new InvalidFieldException(at + ".metric",
                    at + ".metric must be input_tokens, output_tokens, requests or *");
        }
        if (r.type() == null) {
            throw new InvalidFieldException(at + ".type", at + ".type is required");
        }
        switch (r.type()) {
            case "PERCENT_OF_REVENUE":
                return new RatingRule.PercentOfRevenue(r.id(), r.model(), r.metric(),
                        price(at + ".rate", r.rate()));
            case "PER_UNIT":
                return new RatingRule.PerUnit(r.id(), r.model(), r.metric(),
                        price(at + ".unitPrice", r.unitPrice()), unitSize(at + ".unitSize", r.unitSize()));
            case "TIERED":
                return tiered(at, r);
            default:
                throw new InvalidFieldException(at + ".type",
                        at + ".type must be PERCENT_OF_REVENUE, PER_UNIT or TIERED");
        }
    }

    private static RatingRule tiered(String at, RuleDraft r) {
        RatingRule.TierBasis basis;
        RatingRule.TierMode mode;
        try {
            basis = RatingRule.TierBasis.valueOf(String.valueOf(r.basis()));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(at + ".basis", at + ".basis must be QUANTITY or REVENUE");
        }
        try {
            mode = RatingRule.TierMode.valueOf(String.valueOf(r.mode()));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(at + ".mode", at + ".mode must be GRADUATED or VOLUME");
        }
        if (r.tiers() == null || r.tiers().isEmpty()) {
            throw new InvalidFieldException(at + ".tiers", at + ".tiers must be a non-empty array");
        }
        List<RatingRule.Tier> tiers = new ArrayList<>();
        BigDecimal previous = BigDecimal.ZERO;
        for (int j = 0; j < r.tiers().size(); j++) {
            String tat = at + ".tiers[" + j + "]";
            TierDraft t = r.tiers().get(j);
            if (t == null) {
                throw new InvalidFieldException(tat, tat + " must be an object");
            }
            boolean last = j == r.tiers().size() - 1;
            BigDecimal upTo = null;
            if (last) {
                if (t.upTo() != null) {
                    throw new InvalidFieldException(tat + ".upTo", "the last tier's upTo must be null");
                }
            } else {
                upTo = decimal(tat + ".upTo", t.upTo(), basis == RatingRule.TierBasis.QUANTITY ? 0 : 8, 19, true);
                if (upTo.compareTo(Bounds.TIER_UP_TO_MAX) > 0) {
                    throw new InvalidFieldException(tat + ".upTo", tat + ".upTo must be at most 10^18");
                }
                if (upTo.compareTo(previous) <= 0) {
                    throw new InvalidFieldException(tat + ".upTo", tat + ".upTo must be > 0 and strictly increasing");
                }
                previous = upTo;
            }
            if (basis == RatingRule.TierBasis.QUANTITY) {
                tiers.add(new RatingRule.Tier(upTo, price(tat + ".unitPrice", t.unitPrice()),
                        unitSize(tat + ".unitSize", t.unitSize()), null));
            } else {
                tiers.add(new RatingRule.Tier(upTo, null, null, price(tat + ".rate", t.rate())));
            }
        }
        return new RatingRule.Tiered(r.id(), r.model(), r.metric(), basis, mode, tiers);
    }

    private static Instant instant(String field, String text, boolean required) {
        if (text == null) {
            if (required) {
                throw new InvalidFieldException(field, field + " is required");
            }
            return null;
        }
        Instant instant;
        try {
            instant = java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, field + " must be an RFC 3339 timestamp");
        }
        if (instant.getNano() % 1000 != 0) {
            // the store keeps version bounds to the microsecond; a finer bound would be silently moved
            throw new InvalidFieldException(field, field + " must not be finer than a microsecond");
        }
        return instant;
    }

    /** A price ({@code rate}, {@code unitPrice}): at most 6 integer and 12 fraction digits (SPEC §3.1 v2). */
    private static BigDecimal price(String field, String text) {
        return decimal(field, text, Bounds.PRICE_FRACTION_DIGITS, Bounds.PRICE_INTEGER_DIGITS, true);
    }

    /** A decimal string ≥ 0 with at most {@code maxScale} fraction and {@code maxIntegerDigits} integer digits. */
    static BigDecimal decimal(String field, String text, int maxScale, int maxIntegerDigits, boolean required) {
        if (text == null) {
            if (required) {
                throw new InvalidFieldException(field, field + " is required");
            }
            return null;
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new InvalidFieldException(field, field + " must be a decimal string >= 0");
        }
        int point = text.indexOf('.');
        if ((point < 0 ? text.length() : point) > maxIntegerDigits) {
            throw new InvalidFieldException(field, field + " must have at most " + maxIntegerDigits + " integer digits");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.scale() > maxScale) {
            throw new InvalidFieldException(field, field + " must have at most " + maxScale + " fraction digits");
        }
        return value;
    }

    private static long unitSize(String field, String text) {
        if (text == null) {
            throw new InvalidFieldException(field, field + " is required");
        }
        if (!INTEGER.matcher(text).matches()) {
            throw new InvalidFieldException(field, field + " must be a power of ten from 1 to 10^9");
        }
        long value = Long.parseLong(text);
        for (long p = 1; p <= 1_000_000_000L; p *= 10) {
            if (p == value) {
                return value;
            }
        }
        throw new InvalidFieldException(field, field + " must be a power of ten from 1 to 10^9");
    }
}

package com.revshare.ledger.domain;

import java.util.Arrays;
import java.util.List;

/** Builders of agreement drafts for tests, in the SPEC §3.1 vocabulary. */
final class Terms {
    private Terms() {
    }

    static AgreementDraft.RuleDraft percent(String id, String model, String metric, String rate) {
        return new AgreementDraft.RuleDraft(id, model, metric, "PERCENT_OF_REVENUE", rate, null, null, null, null,
                null);
    }

    static AgreementDraft.RuleDraft perUnit(String id, String model, String metric, String unitPrice,
            long unitSize) {
        return new AgreementDraft.RuleDraft(id, model, metric, "PER_UNIT", null, unitPrice,
                Long.toString(unitSize), null, null, null);
    }

    static AgreementDraft.RuleDraft tiered(String id, String model, String metric, String basis, String mode,
            AgreementDraft.TierDraft... tiers) {
        return new AgreementDraft.RuleDraft(id, model, metric, "TIERED", null, null, null, basis, mode,
                Arrays.asList(tiers));
    }

    /** A QUANTITY tier: upTo (null = last), unitPrice per unitSize. */
    static AgreementDraft.TierDraft qty(Long upTo, String unitPrice, long unitSize) {
        return new AgreementDraft.TierDraft(upTo == null ? null : upTo.toString(), unitPrice,
                Long.toString(unitSize), null);
    }

    /** A REVENUE tier: upTo (null = last), rate. */
    static AgreementDraft.TierDraft rev(String upTo, String rate) {
        return new AgreementDraft.TierDraft(upTo, null, null, rate);
    }

    static AgreementDraft version(String from, String to, String currency, String minimum, String cap,
            AgreementDraft.RuleDraft... rules) {
        return new AgreementDraft(from, to, currency, minimum, cap, List.of(rules));
    }

    static AgreementDraft usd(String from, AgreementDraft.RuleDraft... rules) {
        return version(from, null, "USD", null, null, rules);
    }
}

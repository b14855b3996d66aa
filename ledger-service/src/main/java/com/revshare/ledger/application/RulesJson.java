package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.ledger.domain.RatingRule;

/**
 * An agreement version's rules in their SPEC §3.1 JSON shape: what {@code agreement_version.rules}
 * stores (jsonb) and what the API answers ({@link AgreementJson} embeds it), so the shape is written
 * once; the persistence adapter reads and writes its column with it.
 */
public final class RulesJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private RulesJson() {
    }

    public static ArrayNode toJson(List<RatingRule> rules) {
        ArrayNode a = NODES.arrayNode();
        for (RatingRule rule : rules) {
            ObjectNode r = a.addObject();
            r.put("id", rule.id());
            r.put("model", rule.model());
            r.put("metric", rule.metric());
            if (rule instanceof RatingRule.PercentOfRevenue p) {
                r.put("type", "PERCENT_OF_REVENUE");
                r.put("rate", plain(p.rate()));
            } else if (rule instanceof RatingRule.PerUnit p) {
                r.put("type", "PER_UNIT");
                r.put("unitPrice", plain(p.unitPrice()));
                r.put("unitSize", p.unitSize());
            } else if (rule instanceof RatingRule.Tiered t) {
                r.put("type", "TIERED");
                r.put("basis", t.basis().name());
                r.put("mode", t.mode().name());
                ArrayNode tiers = r.putArray("tiers");
                for (RatingRule.Tier tier : t.tiers()) {
                    ObjectNode tn = tiers.addObject();
                    tn.put("upTo", tier.upTo());
                    if (tier.rate() != null) {
                        tn.put("rate", plain(tier.rate()));
                    } else {
                        tn.put("unitPrice", plain(tier.unitPrice()));
                        tn.put("unitSize", tier.unitSize());
                    }
                }
            }
        }
        return a;
    }

    /** Rules as stored (the same JSON shape) back to domain rules. */
    public static List<RatingRule> fromJson(JsonNode stored) {
        List<RatingRule> rules = new ArrayList<>();
        for (JsonNode r : stored) {
            String id = r.get("id").asText();
            String model = r.get("model").asText();
            String metric = r.get("metric").asText();
            switch (r.get("type").asText()) {
                case "PERCENT_OF_REVENUE" -> rules.add(new RatingRule.PercentOfRevenue(id, model, metric, dec(r, "rate")));
                case "PER_UNIT" -> rules.add(new RatingRule.PerUnit(id, model, metric, dec(r, "unitPrice"),
                        r.get("unitSize").asLong()));
                default -> {
                    List<RatingRule.Tier> tiers = new ArrayList<>();
                    for (JsonNode t : r.get("tiers")) {
                        tiers.add(new RatingRule.Tier(dec(t, "upTo"), dec(t, "unitPrice"),
                                t.hasNonNull("unitSize") ? t.get("unitSize").asLong() : null, dec(t, "rate")));
                    }
                    rules.add(new RatingRule.Tiered(id, model, metric,
                            RatingRule.TierBasis.valueOf(r.get("basis").asText()),
                            RatingRule.TierMode.valueOf(r.get("mode").asText()), tiers));
                }
            }
        }
        return rules;
    }

    public static String toText(ObjectMapper json, List<RatingRule> rules) {
        try {
            return json.writeValueAsString(toJson(rules));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigDecimal dec(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : new BigDecimal(v.asText());
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }
}

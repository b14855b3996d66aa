package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.ledger.domain.AgreementDraft;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.InvalidFieldException;
import com.revshare.ledger.domain.RatingRule;

/**
 * Agreement terms in their SPEC §3.1 JSON shape: body → draft (type errors named by field),
 * version → JSON for answers and for storage, stored rules → domain rules.
 */
public final class AgreementJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private AgreementJson() {
    }

    /** Reads a request body into a draft; a value of the wrong JSON type is a 400 naming its field. */
    public static AgreementDraft draft(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidFieldException("body", "the body must be a JSON object");
        }
        List<AgreementDraft.RuleDraft> rules = null;
        JsonNode rulesNode = body.get("rules");
        if (rulesNode != null && !rulesNode.isNull()) {
            if (!rulesNode.isArray()) {
                throw new InvalidFieldException("rules", "rules must be an array");
            }
            rules = new ArrayList<>();
            for (int i = 0; i < rulesNode.size(); i++) {
                rules.add(rule("rules[" + i + "]", rulesNode.get(i)));
            }
        }
        return new AgreementDraft(text(body, "effectiveFrom", "effectiveFrom", false),
                text(body, "effectiveTo", "effectiveTo", false), text(body, "currency", "currency", false),
                text(body, "monthlyMinimum", "monthlyMinimum", true), text(body, "monthlyCap", "monthlyCap", true),
                rules);
    }

    private static AgreementDraft.RuleDraft rule(String at, JsonNode r) {
        if (r == null || !r.isObject()) {
            throw new InvalidFieldException(at, at + " must be an object");
        }
        List<AgreementDraft.TierDraft> tiers = null;
        JsonNode tiersNode = r.get("tiers");
        if (tiersNode != null && !tiersNode.isNull()) {
            if (!tiersNode.isArray()) {
                throw new InvalidFieldException(at + ".tiers", at + ".tiers must be an array");
            }
            tiers = new ArrayList<>();
            for (int j = 0; j < tiersNode.size(); j++) {
                String tat = at + ".tiers[" + j + "]";
                JsonNode t = tiersNode.get(j);
                if (t == null || !t.isObject()) {
                    throw new InvalidFieldException(tat, tat + " must be an object");
                }
                tiers.add(new AgreementDraft.TierDraft(text(t, "upTo", tat + ".upTo", true),
                        text(t, "unitPrice", tat + ".unitPrice", true), text(t, "unitSize", tat + ".unitSize", true),
                        text(t, "rate", tat + ".rate", true)));
            }
        }
        return new AgreementDraft.RuleDraft(text(r, "id", at + ".id", false), text(r, "model", at + ".model", false),
                text(r, "metric", at + ".metric", false), text(r, "type", at + ".type", false),
                text(r, "rate", at + ".rate", true), text(r, "unitPrice", at + ".unitPrice", true),
                text(r, "unitSize", at + ".unitSize", true), text(r, "basis", at + ".basis", false),
                text(r, "mode", at + ".mode", false), tiers);
    }

    /** A string member, or a number's exact text when numbers are allowed; null when absent or null. */
    private static String text(JsonNode node, String name, String field, boolean numberAllowed) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (numberAllowed && v.isNumber()) {
            return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString();
        }
        throw new InvalidFieldException(field, field + " must be a " + (numberAllowed ? "decimal string" : "string"));
    }

    /** The version as answered by the API (SPEC §5). */
    public static ObjectNode toJson(String partnerId, AgreementVersion v) {
        ObjectNode o = NODES.objectNode();
        o.put("partnerId", partnerId);
        o.put("version", v.version());
        o.put("effectiveFrom", v.effectiveFrom().toString());
        o.put("effectiveTo", v.effectiveTo() == null ? null : v.effectiveTo().toString());
        o.put("currency", v.currency());
        o.put("monthlyMinimum", plain(v.monthlyMinimum()));
        o.put("monthlyCap", plain(v.monthlyCap()));
        o.set("rules", rulesJson(v.rules()));
        o.put("actor", v.actor());
        o.put("createdAt", v.createdAt().toString());
        return o;
    }

    public static ArrayNode rulesJson(List<RatingRule> rules) {
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
    public static List<RatingRule> rules(JsonNode stored) {
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

    public static String rulesText(ObjectMapper json, List<RatingRule> rules) {
        try {
            return json.writeValueAsString(rulesJson(rules));
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

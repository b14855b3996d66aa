package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.ledger.domain.AgreementDraft;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.InvalidFieldException;

/**
 * Agreement terms in their SPEC §3.1 JSON shape: body → draft (type errors named by field),
 * version → JSON for answers (the rules' shape is {@link RulesJson}'s, the same as stored).
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
        o.set("rules", RulesJson.toJson(v.rules()));
        o.put("actor", v.actor());
        o.put("createdAt", v.createdAt().toString());
        return o;
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }
}

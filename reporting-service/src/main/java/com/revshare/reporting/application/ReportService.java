package com.revshare.reporting.application;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.reporting.domain.Money;
import com.revshare.reporting.domain.PeriodProof;
import com.revshare.reporting.domain.Settlements;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.domain.EntryKind;
import com.revshare.reporting.domain.PartnerIds;
import com.revshare.reporting.domain.Periods;
import com.revshare.reporting.domain.Statement;
import com.revshare.reporting.application.ReportReads.EntryPayload;
import com.revshare.reporting.application.ReportReads.FreshnessRow;
import com.revshare.reporting.application.ReportReads.OverviewRow;
import com.revshare.reporting.application.ReportReads.StatementRows;
import com.revshare.reporting.application.ReportReads.SummaryKey;
import com.revshare.reporting.application.ReportReads.SummaryRow;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The reporting use cases of SPEC §6: parameter validation (400 naming the parameter), access
 * control (a partner token sees only its own partner), and assembly of the answers.
 */
@ApplicationScoped
public class ReportService {
    private static final Logger LOG = Logger.getLogger(ReportService.class);
    private static final String CURSOR_PREFIX = "after:";

    private final ReportReads queries;
    private final ReportingConfig.Api config;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final ReadSlots slots;

    public ReportService(ReportReads queries, ReportingConfig config, ObjectMapper json) {
        this.queries = queries;
        this.config = config.api();
        this.json = json;
        this.slots = new ReadSlots(config.reads().perCallerConcurrent(), config.reads().callerWaitMs());
    }

    /** SPEC §3.8: a partner's payment terms when the registry does not say. */
    private static final class PartnerMessageDefaults {
        static final int PAYMENT_TERMS_DAYS = 30;
    }

    /** A page of drill-down entries (canonical JSON) and the cursor of the next page. */
    public record EntriesPage(List<String> entries, String nextCursor) {
    }

    /**
     * A validated summary request: the keys it groups by, and its rows, streamed on demand (there
     * may be as many as there are cells in the read model).
     */
    public final class Summary {
        private final Set<SummaryKey> keys;
        private final String from;
        private final String to;
        private final String partnerFilter;
        private final String subject;

        Summary(Set<SummaryKey> keys, String from, String to, String partnerFilter, String subject) {
            this.subject = subject;
            this.keys = keys;
            this.from = from;
            this.to = to;
            this.partnerFilter = partnerFilter;
        }

        public Set<SummaryKey> keys() {
            return keys;
        }

        /** Streams the rows, sorted by partner, period, model, metric (code-point order, nulls last). */
        public void rows(ReportReads.RowSink<SummaryRow> sink) throws IOException {
            try (ReadSlots.Slot slot = slots.acquire(subject)) {
                queries.summary(from, to, keys, partnerFilter, config.summaryFetchRows(), sink);
            }
        }
    }

    public List<OverviewRow> overview(Caller caller, String period) {
        requirePeriod("period", period);
        try (ReadSlots.Slot slot = slots.acquire(caller.subject())) {
            return queries.overview(period, caller.partnerFilter());
        }
    }

    /**
     * A validated, authorised statement of a known partner (400, 403 and 404 are decided here,
     * before anything is written); {@link StatementSource#read} then streams it.
     */
    public StatementSource statement(Caller caller, String partnerId, String period) {
        requirePartnerId(partnerId);
        requirePeriod("period", period);
        requireAccess(caller, partnerId);
        requireKnown(caller, partnerId);
        return new StatementSource(partnerId, period, caller.subject());
    }

    /** Receives a statement: its head, each of its lines in order, then its head again to finish. */
    public interface StatementVisitor {
        void begin(Statement statement) throws IOException;

        void line(Statement.Line line) throws IOException;

        /**
         * Finishes the statement: its proof (SPEC §4.1, every entry of the period) and, for a CLOSED
         * period, its settlement as of today (SPEC §3.8; null while OPEN).
         */
        void end(Statement statement, PeriodProof.Proof proof, Settlement settlement) throws IOException;
    }

    /** A CLOSED period's settlement as of a date, amounts at the currency's minor unit. */
    public record Settlement(LocalDate dueOn, BigDecimal allocated, BigDecimal outstanding) {
    }

    /** One statement, read from one snapshot of the read model while it is written out. */
    public final class StatementSource {
        private final String partnerId;
        private final String period;
        private final String subject;

        StatementSource(String partnerId, String period, String subject) {
            this.partnerId = partnerId;
            this.period = period;
            this.subject = subject;
        }

        public void read(StatementVisitor visitor) throws IOException {
            try (ReadSlots.Slot slot = slots.acquire(subject)) {
                readHoldingSlot(visitor);
            }
        }

        private void readHoldingSlot(StatementVisitor visitor) throws IOException {
            Statement[] head = new Statement[1];
            BigDecimal[] lineSum = { BigDecimal.ZERO };
            PeriodProof[] proof = { new PeriodProof() };
            ReportReads.ProofStart[] start = new ReportReads.ProofStart[1];
            ReportReads.PartnerBilling[] billing = new ReportReads.PartnerBilling[1];
            queries.statement(partnerId, period, config.statementFetchRows(), rows -> {
                head[0] = statement(rows);
                visitor.begin(head[0]);
            }, l -> {
                lineSum[0] = lineSum[0].add(l.amount());
                visitor.line(new Statement.Line(l.model(), l.metric(), l.quantity(), l.revenue(), l.amount()));
            }, s -> {
                start[0] = s;
                if (s.saved() != null) {
                    proof[0] = PeriodProof.resume(s.saved());
                }
            }, e -> addProofLine(proof[0], e), b -> billing[0] = b);
            if (start[0] != null && start[0].saved() == null && proof[0].lastSequence() != null) {
                // hashed from every entry (none stored: entries older than the stored proofs, or written
                // around the projection): kept, so the next statement of the period reads one row
                queries.rememberProof(start[0].generation(), partnerId, period, proof[0].saved());
            }
            // pair assertion: the period totals and the lines are written by the same batches
            if (lineSum[0].compareTo(head[0].usageAmount()) != 0) {
                LOG.errorf("read model inconsistent for %s %s: lines sum to %s, usageAmount is %s", partnerId,
                        period, lineSum[0], head[0].usageAmount());
            }
            visitor.end(head[0], proof[0].result(), head[0].closed() ? settlement(head[0], billing[0]) : null);
        }

        private Statement statement(StatementRows rows) {
            ReportReads.PeriodRow p = rows.period();
            if (p == null) {
                return Statement.empty(partnerId, period, rows.partnerCurrency());
            }
            Statement s = new Statement(partnerId, period, "CLOSED".equals(p.status()),
                    p.closedAt() == null ? null : Instant.parse(p.closedAt()), p.currency(), p.usageAmount(),
                    rows.adjustments().stream()
                            .map(a -> new Statement.Adjustment(EntryKind.valueOf(a.kind()), a.amount())).toList(),
                    p.eventCount());
            if (s.adjustmentsAmount().compareTo(p.adjustmentsAmount()) != 0) {
                LOG.errorf("read model inconsistent for %s %s: adjustments sum to %s, adjustmentsAmount is %s",
                        partnerId, period, s.adjustmentsAmount(), p.adjustmentsAmount());
            }
            return s;
        }
    }

    private void addProofLine(PeriodProof proof, ReportReads.ProofRow row) throws IOException {
        JsonNode e = json.readTree(row.payload());
        proof.add(row.sequence(), text(e, "entryId"), text(e, "kind"), text(e, "amount"), text(e, "currency"),
                text(e, "usageEventId"), text(e, "model"), text(e, "metric"), text(e, "quantity"),
                text(e, "settlementRevenue"), text(e, "agreementVersion"), text(e, "ruleId"),
                text(e, "reversesEntryId"), text(e, "originalPeriod"));
    }

    /** A field as its JSON text (a string's value, a number's digits), null when null or absent. */
    private static String text(JsonNode entry, String field) {
        JsonNode v = entry.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The statement's period settled as of today (UTC) among the partner's billed periods. */
    private Settlement settlement(Statement s, ReportReads.PartnerBilling billing) {
        int terms = billing == null ? PartnerMessageDefaults.PAYMENT_TERMS_DAYS : billing.paymentTermsDays();
        LocalDate dueOn = Settlements.dueOn(s.period(), terms);
        BigDecimal zero = BigDecimal.ZERO.setScale(Money.minorUnitDigits(s.currency()));
        if (s.amountDue().signum() <= 0 || billing == null) {
            return new Settlement(dueOn, zero, s.amountDue().signum() <= 0 ? zero : s.amountDue());
        }
        Settlements.Receivable r = receivable(billing, s.currency(), LocalDate.now(clock));
        return r.periods().stream().filter(p -> p.period().equals(s.period())).findFirst()
                .map(p -> new Settlement(p.dueOn(), p.allocated(), p.outstanding()))
                .orElse(new Settlement(dueOn, zero, s.amountDue()));
    }

    private static Settlements.Receivable receivable(ReportReads.PartnerBilling b, String currency, LocalDate asOf) {
        int scale = Money.minorUnitDigits(currency);
        List<Settlements.BilledPeriod> closed = b.closed().stream()
                .map(p -> new Settlements.BilledPeriod(p.period(),
                        LocalDate.ofInstant(Instant.parse(p.closedAt()), ZoneOffset.UTC),
                        Money.amountDue(p.total(), currency)))
                .toList();
        List<Settlements.Payment> payments = b.payments().stream()
                .map(p -> new Settlements.Payment(p.receivedOn(), Money.minorUnits(p.amount(), currency))).toList();
        return Settlements.asOf(asOf, b.paymentTermsDays(), scale, closed, payments);
    }

    /** One row of the receivables report (SPEC §6). */
    public record ReceivableRow(String partnerId, String currency, Settlements.Receivable receivable) {
    }

    /**
     * The receivables report as of {@code asOfText} (YYYY-MM-DD; today UTC when absent): one row per
     * partner with a billed period or a payment as of that day; a partner token sees its own row only.
     */
    public List<ReceivableRow> receivables(Caller caller, String asOfText) {
        LocalDate asOf;
        if (asOfText == null) {
            asOf = LocalDate.now(clock);
        } else {
            try {
                asOf = LocalDate.parse(asOfText, java.time.format.DateTimeFormatter.ISO_LOCAL_DATE);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiProblem.badParameter("asOf", "must be a date YYYY-MM-DD, got '" + printable(asOfText) + "'");
            }
        }
        List<ReceivableRow> out = new ArrayList<>();
        List<ReportReads.PartnerBilling> billing;
        try (ReadSlots.Slot slot = slots.acquire(caller.subject())) {
            billing = queries.billing(caller.partnerFilter());
        }
        for (ReportReads.PartnerBilling b : billing) {
            String currency = b.registryCurrency() != null ? b.registryCurrency()
                    : !b.closed().isEmpty() ? b.closed().get(0).currency() : b.payments().get(0).currency();
            Settlements.Receivable r = receivable(b, currency, asOf);
            if (r.hasActivity()) {
                out.add(new ReceivableRow(b.partnerId(), currency, r));
            }
        }
        return out;
    }

    public Summary summary(Caller caller, String from, String to, List<String> groupBy) {
        if (from != null) {
            requirePeriod("from", from);
        }
        if (to != null) {
            requirePeriod("to", to);
        }
        if (from != null && to != null && from.compareTo(to) > 0) {
            throw ApiProblem.badParameter("from", "must not be after to (" + from + " > " + to + ")");
        }
        Set<SummaryKey> keys = EnumSet.noneOf(SummaryKey.class);
        for (String value : groupBy == null ? List.<String>of() : groupBy) {
            if (value.isBlank()) {
                continue; // "groupBy=" is no grouping; an empty key inside a list is an error
            }
            for (String part : value.split(",", -1)) {
                String name = part.trim();
                SummaryKey key = switch (name) {
                    case "partner" -> SummaryKey.PARTNER;
                    case "period" -> SummaryKey.PERIOD;
                    case "model" -> SummaryKey.MODEL;
                    case "metric" -> SummaryKey.METRIC;
                    default -> throw ApiProblem.badParameter("groupBy",
                            "unknown key '" + name + "'; allowed: partner, model, metric, period");
                };
                if (!keys.add(key)) {
                    throw ApiProblem.badParameter("groupBy", "key '" + name + "' given twice");
                }
            }
        }
        return new Summary(keys, from, to, caller.partnerFilter(), caller.subject());
    }

    public EntriesPage entries(Caller caller, String partnerId, String period, String kind, String cursor,
            String limitText) {
        requirePartnerId(partnerId);
        if (period != null) {
            requirePeriod("period", period);
        }
        if (kind != null && EntryKind.parse(kind).isEmpty()) {
            throw ApiProblem.badParameter("kind", "must be one of " + List.of(EntryKind.values()));
        }
        int limit = config.entriesPageLimitDefault();
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > config.entriesPageLimitMax()) {
                throw ApiProblem.badParameter("limit", "must be an integer from 1 to " + config.entriesPageLimitMax());
            }
        }
        long after = cursor == null ? 0 : decodeCursor(cursor);
        requireAccess(caller, partnerId);
        requireKnown(caller, partnerId);
        List<EntryPayload> rows;
        try (ReadSlots.Slot slot = slots.acquire(caller.subject())) {
            rows = queries.entries(partnerId, period, kind, after, limit + 1);
        }
        boolean more = rows.size() > limit;
        List<EntryPayload> page = more ? rows.subList(0, limit) : rows;
        String next = more ? encodeCursor(page.get(page.size() - 1).sequence()) : null;
        return new EntriesPage(page.stream().map(EntryPayload::payload).toList(), next);
    }

    public List<FreshnessRow> freshness(Caller caller) {
        try (ReadSlots.Slot slot = slots.acquire(caller.subject())) {
            return queries.freshness(caller.partnerFilter());
        }
    }

    private void requireKnown(Caller caller, String partnerId) {
        try (ReadSlots.Slot slot = slots.acquire(caller.subject())) {
            if (queries.knownPartnerCurrency(partnerId).isEmpty()) {
                throw ApiProblem.unknownPartner(partnerId);
            }
        }
    }

    /** Cursors are opaque to clients: the last sequence of the previous page, base64url. */
    static String encodeCursor(long sequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + sequence).getBytes(StandardCharsets.US_ASCII));
    }

    static long decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                long sequence = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (sequence >= 0) {
                    return sequence;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw ApiProblem.badParameter("cursor", "not a cursor returned by this API");
    }

    private static void requirePeriod(String parameter, String value) {
        if (!Periods.isValid(value)) {
            throw ApiProblem.badParameter(parameter, "must be a month YYYY-MM, got '" + printable(value) + "'");
        }
    }

    private static void requirePartnerId(String partnerId) {
        if (!PartnerIds.isValid(partnerId)) {
            throw ApiProblem.badParameter("id", "must match [a-z0-9][a-z0-9-]{1,62}");
        }
    }

    private static void requireAccess(Caller caller, String partnerId) {
        if (!caller.mayRead(partnerId)) {
            throw ApiProblem.forbiddenPartner();
        }
    }

    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}

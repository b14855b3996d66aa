package com.revshare.reporting.api;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.regex.Pattern;

import com.revshare.reporting.application.ReportService;
import com.revshare.reporting.domain.Money;
import com.revshare.reporting.domain.PeriodProof;
import com.revshare.reporting.domain.Statement;

/**
 * A statement as CSV (RFC 4180, UTF-8, CRLF): header {@code section,kind,model,metric,quantity,revenue,amount};
 * a {@code line} row per line, an {@code adjustment} row per kind, then {@code total} and
 * {@code amountDue} rows carrying their figure in the amount column.
 * <p>
 * CSV injection: a text cell (section, kind, model, metric) that starts with {@code = + - @}, tab or
 * carriage return is prefixed with a single quote {@code '} so a spreadsheet shows it as text
 * instead of evaluating it. Number cells (quantity, revenue, amount) are written as plain
 * decimals that always match {@code -?[0-9]+(\.[0-9]+)?} (checked here): a leading minus of a
 * negative amount stays, because a cell holding only a signed decimal is a number to every
 * spreadsheet, not a formula, and finance needs it to stay an exact, summable number.
 */
public final class StatementCsv implements ReportService.StatementVisitor {
    public static final String HEADER = "section,kind,model,metric,quantity,revenue,amount";
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private final Writer out;

    /** Writes to {@code out} as the statement streams in (the caller flushes). */
    public StatementCsv(Writer out) {
        this.out = out;
    }

    @Override
    public void begin(Statement s) throws IOException {
        out.write(HEADER);
        out.write("\r\n");
    }

    @Override
    public void line(Statement.Line line) throws IOException {
        row(text("line"), "", text(line.model()), text(line.metric()), number(line.quantity().toPlainString()),
                number(Money.revenue(line.revenue()).toPlainString()), number(amount(line.amount())));
    }

    @Override
    public void end(Statement s, PeriodProof.Proof proof, ReportService.Settlement settlement) throws IOException {
        for (Statement.Adjustment adjustment : s.adjustments()) {
            row(text("adjustment"), text(adjustment.kind().name()), "", "", "", "",
                    number(amount(adjustment.amount())));
        }
        row(text("total"), "", "", "", "", "", number(amount(s.total())));
        row(text("amountDue"), "", "", "", "", "", number(s.amountDue().toPlainString()));
    }

    private static String amount(BigDecimal value) {
        return Money.amount(value).toPlainString();
    }

    private void row(String... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cells[i]);
        }
        out.write("\r\n");
    }

    /** A text cell: neutralised against formula injection, then quoted when needed. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        String safe = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
        return quote(safe);
    }

    /** A number cell: only a plain decimal may be written unquoted and unprefixed. */
    static String number(String value) {
        if (!DECIMAL.matcher(value).matches()) {
            throw new IllegalStateException("not a plain decimal: " + value);
        }
        return value;
    }

    private static String quote(String value) {
        boolean needs = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}

package dev.bluepost.measurement;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.Said;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Imports a county broadband reference data set (FCC figures, docs/measures.md §6.2) from CSV, streamed
 * line by line: a header naming the columns {@code state}, {@code county}, {@code share_3mbps},
 * {@code share_4mbps} (optional {@code fips}), then one county per line, shares as fractions
 * (0.734) or percentages (73.4%). A bad line is reported with its line number and the others load;
 * a file without one good line (or without the header) loads nothing. One data set per as-of
 * date: importing the same date again replaces it, in one transaction. What is wrong with a line or the file
 * is said in {@link ComplianceMessages}' words, for the page to put in its reader's language.
 */
@ApplicationScoped
public class BroadbandImporter {

    /** How many bad lines a result lists (all are counted). */
    public static final int LISTED = 200;

    private static final int BATCH = 1000;
    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");
    private static final Pattern FIPS = Pattern.compile("\\d{5}");
    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final BigDecimal HUNDRED = new BigDecimal(100);

    /** A line not loaded, and what is wrong with it. */
    public record BadLine(long line, Said<ComplianceMessages> problem) {}

    /** What an import did; {@code loaded == 0} means nothing was written, and {@code error} says why. */
    public record Result(
            LocalDate asOf,
            long loaded,
            long rejected,
            List<BadLine> badLines,
            boolean replaced,
            Said<ComplianceMessages> error) {

        public boolean succeeded() {
            return loaded > 0;
        }

        public boolean moreBadLines() {
            return rejected > badLines.size();
        }
    }

    /** One imported data set. */
    public record DataSet(LocalDate asOf, Instant importedAt, long loaded, long rejected) {}

    private final DataSource dataSource;
    private final AuditRecorder audit;
    private final Clock clock;

    public BroadbandImporter(DataSource dataSource, AuditRecorder audit, Clock clock) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
    }

    /** The data sets on record, newest first. */
    public List<DataSet> dataSets() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "select as_of, imported_at, rows_loaded, rows_rejected from mu_broadband_import order by as_of desc");
                ResultSet r = s.executeQuery()) {
            List<DataSet> list = new ArrayList<>();
            while (r.next()) {
                list.add(
                        new DataSet(
                                r.getObject(1, LocalDate.class),
                                r.getTimestamp(2).toInstant(),
                                r.getLong(3),
                                r.getLong(4)));
            }
            return list;
        } catch (SQLException e) {
            throw new IllegalStateException("reading broadband data sets failed", e);
        }
    }

    /** Imports {@code csv} as the data set of {@code asOf}. */
    public Result importCsv(Actor actor, LocalDate asOf, InputStream csv) {
        if (asOf == null) {
            throw BluepostException.said(
                            ErrorKind.BUSINESS_RULE,
                            ComplianceMessages.class,
                            ComplianceMessages::broadband_as_of_missing)
                    .about("asOf");
        }
        if (asOf.isAfter(
                LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).plusDays(1))) {
            throw BluepostException.said(
                            ErrorKind.BUSINESS_RULE,
                            ComplianceMessages.class,
                            ComplianceMessages::broadband_as_of_future)
                    .about("asOf");
        }
        Instant now = clock.instant();
        Result result;
        try {
            result =
                    QuarkusTransaction.requiringNew().timeout(600).call(() -> load(asOf, csv, now));
        } catch (RuntimeException e) {
            result = refusal(e).orElseThrow(() -> e); // rolled back: nothing of the file is written
        }
        if (result.succeeded()) {
            Log.infof(
                    "broadband data set imported asOf=%s loaded=%d rejected=%d by=%s",
                    asOf, result.loaded(), result.rejected(), actor.logId());
            audit.record(
                    actor,
                    AuditEntry.of(AuditAction.CREATE)
                            .on("BroadbandDataSet", asOf)
                            .practice(actor.practiceId())
                            .reason(result.replaced() ? "replaced" : "imported"));
        } else {
            Log.infof(
                    "broadband data set refused asOf=%s rejected=%d by=%s",
                    asOf, result.rejected(), actor.logId());
        }
        return result;
    }

    private Result load(LocalDate asOf, InputStream csv, Instant now) throws SQLException {
        List<BadLine> bad = new ArrayList<>();
        long rejected = 0;
        long loaded = 0;
        boolean replaced;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s =
                    c.prepareStatement("delete from mu_broadband_county where as_of = ?")) {
                s.setObject(1, asOf);
                replaced = s.executeUpdate() > 0;
            }
            BufferedReader reader =
                    new BufferedReader(
                            new InputStreamReader(
                                    csv,
                                    StandardCharsets.UTF_8
                                            .newDecoder()
                                            .onMalformedInput(CodingErrorAction.REPORT)
                                            .onUnmappableCharacter(CodingErrorAction.REPORT)));
            long lineNo = 0;
            Map<String, Integer> columns = null;
            Map<String, Long> seen = new HashMap<>();
            try (PreparedStatement insert =
                    c.prepareStatement(
                            """
                    insert into mu_broadband_county (state, county, as_of, share_3mbps, share_4mbps, imported_at, fips)
                    values (?, ?, ?, ?, ?, ?, ?)""")) {
                int pending = 0;
                String line;
                while ((line = readLine(reader, lineNo + 1)) != null) {
                    lineNo++;
                    if (lineNo == 1 && line.startsWith("\uFEFF")) {
                        line = line.substring(1);
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    List<String> cells;
                    try {
                        cells = cells(line);
                    } catch (LineProblem e) {
                        if (columns == null) {
                            long first = lineNo;
                            throw refused(
                                    asOf,
                                    m -> m.broadband_header_unreadable(first, e.words.apply(m)));
                        }
                        rejected = reject(bad, rejected, lineNo, e.problem());
                        continue;
                    }
                    if (columns == null) {
                        columns = header(cells);
                        if (columns == null) {
                            throw refused(asOf, ComplianceMessages::broadband_header);
                        }
                        continue;
                    }
                    try {
                        Row row = row(cells, columns);
                        String key = row.state + "|" + row.county.toLowerCase(Locale.ROOT);
                        Long first = seen.putIfAbsent(key, lineNo);
                        if (first != null) {
                            throw new LineProblem(
                                    m -> m.broadband_line_repeated(row.county, row.state, first));
                        }
                        insert.setString(1, row.state);
                        insert.setString(2, row.county);
                        insert.setObject(3, asOf);
                        insert.setBigDecimal(4, row.share3);
                        insert.setBigDecimal(5, row.share4);
                        insert.setTimestamp(6, Timestamp.from(now));
                        insert.setString(7, row.fips);
                        insert.addBatch();
                        loaded++;
                        if (++pending == BATCH) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    } catch (LineProblem e) {
                        rejected = reject(bad, rejected, lineNo, e.problem());
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
            } catch (CharacterCodingException e) {
                long near = lineNo + 1;
                throw refused(asOf, m -> m.broadband_not_utf8(near));
            } catch (IOException e) {
                throw refused(asOf, ComplianceMessages::broadband_unreadable);
            }
            if (columns == null) {
                throw refused(asOf, ComplianceMessages::broadband_empty);
            }
            if (loaded == 0) {
                throw new Refused(
                        new Result(
                                asOf,
                                0,
                                rejected,
                                bad,
                                false,
                                Said.of(
                                        ComplianceMessages.class,
                                        ComplianceMessages::broadband_nothing_loaded)));
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    insert into mu_broadband_import (as_of, imported_at, imported_by, rows_loaded, rows_rejected) values (?, ?, null, ?, ?)
                    on conflict (as_of) do update set imported_at = excluded.imported_at, rows_loaded = excluded.rows_loaded,
                        rows_rejected = excluded.rows_rejected""")) {
                s.setObject(1, asOf);
                s.setTimestamp(2, Timestamp.from(now));
                s.setLong(3, loaded);
                s.setLong(4, rejected);
                s.executeUpdate();
            }
        }
        return new Result(asOf, loaded, rejected, bad, replaced, null);
    }

    /** Reads a line, refusing absurdly long ones (a binary file) without holding them. */
    private static String readLine(BufferedReader reader, long lineNo) throws IOException {
        StringBuilder line = new StringBuilder();
        int ch;
        while ((ch = reader.read()) != -1) {
            if (ch == '\n') {
                break;
            }
            if (line.length() < 4096) {
                line.append((char) ch);
            }
        }
        if (ch == -1 && line.isEmpty()) {
            return null;
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        return line.toString();
    }

    private static long reject(
            List<BadLine> bad, long rejected, long lineNo, Said<ComplianceMessages> problem) {
        if (bad.size() < LISTED) {
            bad.add(new BadLine(lineNo, problem));
        }
        return rejected + 1;
    }

    private static Refused refused(
            LocalDate asOf, java.util.function.Function<ComplianceMessages, String> error) {
        return new Refused(
                new Result(asOf, 0, 0, List.of(), false, Said.of(ComplianceMessages.class, error)));
    }

    /** What is wrong with one line, in {@link ComplianceMessages}' words. */
    private static final class LineProblem extends RuntimeException {
        final transient java.util.function.Function<ComplianceMessages, String> words;

        LineProblem(java.util.function.Function<ComplianceMessages, String> words) {
            super(null, null, false, false);
            this.words = words;
        }

        Said<ComplianceMessages> problem() {
            return Said.of(ComplianceMessages.class, words);
        }
    }

    /** Ends the import's transaction without commit, carrying what to tell the admin. */
    private static final class Refused extends RuntimeException {
        final transient Result result;

        Refused(Result result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    private static java.util.Optional<Result> refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Refused r) {
                return java.util.Optional.of(r.result);
            }
        }
        return java.util.Optional.empty();
    }

    private record Row(
            String state, String county, BigDecimal share3, BigDecimal share4, String fips) {}

    private static Map<String, Integer> header(List<String> cells) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String name = cells.get(i).strip().toLowerCase(Locale.ROOT);
            if (columns.putIfAbsent(name, i) != null) {
                return null;
            }
        }
        return columns.keySet()
                        .containsAll(List.of("state", "county", "share_3mbps", "share_4mbps"))
                ? columns
                : null;
    }

    private static Row row(List<String> cells, Map<String, Integer> columns) {
        if (cells.size() != columns.size()) {
            int expected = columns.size();
            int found = cells.size();
            throw new LineProblem(m -> m.broadband_line_fields(expected, found));
        }
        String state = cells.get(columns.get("state")).strip().toUpperCase(Locale.ROOT);
        if (!STATE.matcher(state).matches()) {
            throw new LineProblem(ComplianceMessages::broadband_line_state);
        }
        String county = cells.get(columns.get("county")).strip();
        if (county.isEmpty()
                || county.length() > 100
                || county.chars().anyMatch(Character::isISOControl)) {
            throw new LineProblem(ComplianceMessages::broadband_line_county);
        }
        String fips = null;
        if (columns.containsKey("fips")) {
            fips = cells.get(columns.get("fips")).strip();
            if (fips.isEmpty()) {
                fips = null;
            } else if (!FIPS.matcher(fips).matches()) {
                throw new LineProblem(ComplianceMessages::broadband_line_fips);
            }
        }
        return new Row(
                state,
                county,
                share(cells.get(columns.get("share_3mbps")), "share_3mbps"),
                share(cells.get(columns.get("share_4mbps")), "share_4mbps"),
                fips);
    }

    /** A share of housing units, 0 to 1: "0.734" or "73.4%"; at most six decimals as a fraction. */
    private static BigDecimal share(String cell, String column) {
        String value = cell.strip();
        boolean percent = value.endsWith("%");
        if (percent) {
            value = value.substring(0, value.length() - 1).strip();
        }
        BigDecimal share;
        try {
            if (value.isEmpty() || value.length() > 20) {
                throw new NumberFormatException();
            }
            share = new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new LineProblem(m -> m.broadband_line_share_number(column));
        }
        if (percent) {
            share = share.divide(HUNDRED);
        }
        share = share.stripTrailingZeros();
        if (share.signum() < 0 || share.compareTo(ONE) > 0) {
            throw new LineProblem(m -> m.broadband_line_share_range(column));
        }
        if (share.scale() > 6) {
            throw new LineProblem(m -> m.broadband_line_share_decimals(column));
        }
        return share.setScale(Math.max(share.scale(), 0));
    }

    /** RFC 4180 fields of one line (no line breaks inside quotes). */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                cell.setLength(0);
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted && !Character.isWhitespace(ch)) {
                throw new LineProblem(ComplianceMessages::broadband_line_after_quote);
            } else {
                cell.append(ch);
            }
        }
        if (quoted) {
            throw new LineProblem(ComplianceMessages::broadband_line_open_quote);
        }
        cells.add(cell.toString());
        return cells;
    }
}

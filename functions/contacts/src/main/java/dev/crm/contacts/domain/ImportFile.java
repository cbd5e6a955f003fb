package dev.crm.contacts.domain;

import dev.crm.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bulk-import body split into rows. NDJSON rows are kept as their lines; CSV (RFC 4180, header
 * row) becomes one JSON object per record keyed by column, so both formats reach the worker alike.
 * Only the file's shape is checked here (a bad header is a 400 at once); each row is validated by
 * the import job, so one bad row never rejects the good ones.
 */
public final class ImportFile {
    public static final int MAX_ROWS = 20_000;
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    /** Columns a CSV may have: the contact fields; attributes.&lt;name&gt; columns set custom values. */
    public static final Set<String> CSV_COLUMNS = Set.of("firstName", "lastName", "email", "phone", "company", "locale",
            "timeZone", "lifecycleStage", "tags", "externalId");

    private ImportFile() {}

    /** Thrown when the file as a whole cannot be read; the message is safe to show. */
    public static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    public static List<String> ndjsonRows(String body) {
        List<String> rows = new ArrayList<>();
        for (String line : body.split("\r?\n", -1)) {
            if (!line.isBlank()) {
                rows.add(line);
                if (rows.size() > MAX_ROWS) {
                    throw new Unreadable("at most " + MAX_ROWS + " rows per import");
                }
            }
        }
        if (rows.isEmpty()) {
            throw new Unreadable("the file has no rows");
        }
        return rows;
    }

    public static List<String> csvRows(String body) {
        List<List<String>> records = parseCsv(body);
        if (records.isEmpty()) {
            throw new Unreadable("the file is empty; the first line must name the columns");
        }
        List<String> header = records.get(0);
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim();
            if (!CSV_COLUMNS.contains(h) && !h.matches("attributes\\.[a-zA-Z][a-zA-Z0-9_]{0,63}")) {
                throw new Unreadable("unknown column '" + truncate(h) + "' (column " + (i + 1) + "); columns are "
                        + String.join(", ", new java.util.TreeSet<>(CSV_COLUMNS)) + " and attributes.<name>");
            }
            if (header.subList(0, i).stream().map(String::trim).anyMatch(h::equals)) {
                throw new Unreadable("column '" + truncate(h) + "' appears twice");
            }
        }
        List<String> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> record = records.get(r);
            if (record.size() == 1 && record.get(0).isEmpty()) {
                continue; // a blank line
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                String value = c < record.size() ? record.get(c) : "";
                if (!value.isEmpty()) {
                    row.put(header.get(c).trim(), value);
                }
            }
            if (record.size() > header.size()) {
                row.put("_extraCells", record.size() - header.size());
            }
            rows.add(Json.write(row));
            if (rows.size() > MAX_ROWS) {
                throw new Unreadable("at most " + MAX_ROWS + " rows per import");
            }
        }
        if (rows.isEmpty()) {
            throw new Unreadable("the file has a header but no rows");
        }
        return rows;
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int i = 0;
        if (text.startsWith("\uFEFF")) {
            i = 1; // a byte-order mark from spreadsheet exports
        }
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\n' || c == '\r') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
                records.add(record);
                record = new ArrayList<>();
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new Unreadable("a quoted field is not closed");
        }
        if (fieldStarted || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }

    /**
     * One stored row as a JSON object in the shape POST /v1/contacts takes. CSV rows are text: tags
     * are separated by ';', attributes.&lt;name&gt; columns become custom values, and the row is checked
     * like any contact.
     */
    @SuppressWarnings("unchecked")
    public static Object rowObject(String row, boolean fromCsv) {
        Object parsed = Json.parse(row);
        if (!fromCsv || !(parsed instanceof Map<?, ?> m)) {
            return parsed;
        }
        Map<String, Object> in = (Map<String, Object>) m;
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (var e : in.entrySet()) {
            String k = e.getKey();
            if (k.equals("tags")) {
                List<String> tags = new ArrayList<>();
                for (String t : String.valueOf(e.getValue()).split(";")) {
                    if (!t.isBlank()) {
                        tags.add(t.trim());
                    }
                }
                out.put("tags", tags);
            } else if (k.startsWith("attributes.")) {
                attributes.put(k.substring("attributes.".length()), e.getValue());
            } else {
                out.put(k, e.getValue());
            }
        }
        if (!attributes.isEmpty()) {
            out.put("attributes", attributes);
        }
        return out;
    }
}

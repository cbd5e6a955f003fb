package dev.crm.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** GitHub-flavoured markdown tables and number formats for the report. */
public final class Markdown {
    private Markdown() {}

    public static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        public Table(String... header) {
            this.header = List.of(header);
        }

        public Table row(Object... cells) {
            if (cells.length != header.size()) {
                throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.size());
            }
            List<String> r = new ArrayList<>();
            for (Object c : cells) {
                r.add(c == null ? "" : String.valueOf(c).replace("|", "\\|").replace("\n", " "));
            }
            rows.add(r);
            return this;
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append("| ").append(String.join(" | ", header)).append(" |\n");
            sb.append("|");
            for (int i = 0; i < header.size(); i++) {
                sb.append(" --- |");
            }
            sb.append('\n');
            for (List<String> r : rows) {
                sb.append("| ").append(String.join(" | ", r)).append(" |\n");
            }
            return sb.toString();
        }
    }

    /** Milliseconds: whole numbers from 100 up, one decimal below, two below 1. */
    public static String ms(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    public static String num(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    public static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / 1048576.0);
    }

    public static String code(String s) {
        return "`" + s + "`";
    }
}

package dev.crm.churn.statistics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The raw CDNOW sample (src/test/resources/cdnow/CDNOW_sample.txt): one line per order with customer
 * id, date, quantity and amount. Orders on the same day are one purchase (as in the published
 * analyses); times are weeks since 1997-01-01, so the calibration ends at day 272 (1997-09-30) and the
 * holdout at day 545 (1998-06-30).
 */
final class CdnowTransactions {

    static final LocalDate ORIGIN = LocalDate.of(1997, 1, 1);
    static final double CALIBRATION_END = 272 / 7.0;
    static final double HOLDOUT_WEEKS = 39.0;

    private CdnowTransactions() {
    }

    static List<PurchaseHistory> load() {
        Map<String, TreeMap<Long, Double>> byCustomer = new LinkedHashMap<>();
        try (InputStream stream = CdnowTransactions.class.getResourceAsStream("/cdnow/CDNOW_sample.txt")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                LocalDate date = LocalDate.of(Integer.parseInt(f[2].substring(0, 4)),
                        Integer.parseInt(f[2].substring(4, 6)), Integer.parseInt(f[2].substring(6)));
                long day = ChronoUnit.DAYS.between(ORIGIN, date);
                byCustomer.computeIfAbsent(f[0], k -> new TreeMap<>()).merge(day, Double.parseDouble(f[4]), Double::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<PurchaseHistory> histories = new ArrayList<>();
        for (TreeMap<Long, Double> days : byCustomer.values()) {
            double[] times = new double[days.size()];
            double[] spend = new double[days.size()];
            int i = 0;
            for (Map.Entry<Long, Double> e : days.entrySet()) {
                times[i] = e.getKey() / 7.0;
                spend[i++] = e.getValue();
            }
            histories.add(new PurchaseHistory(times, spend));
        }
        return histories;
    }
}

package dev.crm.churn.statistics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads the CDNOW summary from the test resources (see src/test/resources/cdnow/README.md). */
final class CdnowDataset {

    static final String RESOURCE = "/cdnow/cdnow_customers_summary_with_transactions.csv";
    static final int CUSTOMERS = 2357;

    private CdnowDataset() {
    }

    /** All customers in file order; zbar becomes meanRepeatSpend. */
    static List<CustomerSummary> load() {
        try (InputStream stream = CdnowDataset.class.getResourceAsStream(RESOURCE)) {
            if (stream == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            String header = reader.readLine();
            if (!"ID,x,t_x,T,zbar".equals(header)) {
                throw new IllegalStateException("unexpected header: " + header);
            }
            List<CustomerSummary> customers = new ArrayList<>(CUSTOMERS);
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",");
                customers.add(new CustomerSummary(
                        Integer.parseInt(fields[1]),
                        Double.parseDouble(fields[2]),
                        Double.parseDouble(fields[3]),
                        Double.parseDouble(fields[4])));
            }
            return customers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
